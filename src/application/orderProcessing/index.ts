export type { Workflow } from './workflowType.js';
export * from './state.js';
export * from './workflow.js';
export { runOrderWorkflow } from './runner.js';
export type { OrderMessage, OrderProcessingDeps } from './runner.js';
