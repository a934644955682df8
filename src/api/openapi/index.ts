export { buildOpenApiDocument } from './document.js';
export { openApiRouter } from './router.js';
