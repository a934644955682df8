export { createPrometheusMetrics } from './prometheusMetrics.js';
