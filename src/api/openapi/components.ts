import type { z } from 'zod';
import { redriveBody } from '../routes/adminDeadLetters.js';
import {
  projectionStatusList,
  projectionStatusSchema,
  rebuildStarted,
} from '../routes/adminProjections.js';
import { emailVerifyBody, loginBody, refreshTokenBody, registerBody } from '../routes/auth.js';
import { orderStatus, placeOrderBody } from '../routes/orders.js';
import { addProductBody, updateProductBody } from '../routes/products.js';
import * as history from './historySchemas.js';
import * as bodies from './schemas.js';
import { openApiDocument, prometheusText } from './operations/system.js';

/**
 * The named schemas of the document. Requests are converted as zod parses them (`io: 'input'`:
 * defaults optional, before transforms), responses as the server writes them (`io: 'output'`).
 * A schema used by an operation but missing here is an error when the document is built.
 */
export const requestComponents: Record<string, z.ZodType> = {
  EmailVerifyRequest: emailVerifyBody,
  RegisterRequest: registerBody,
  LoginRequest: loginBody,
  RefreshTokenRequest: refreshTokenBody,
  AddProductRequest: addProductBody,
  UpdateProductRequest: updateProductBody,
  PlaceOrderRequest: placeOrderBody,
  RedriveRequest: redriveBody,
};

export const responseComponents: Record<string, z.ZodType> = {
  Problem: bodies.problem,
  FieldIssue: bodies.fieldIssue,
  Role: bodies.role,
  OtpSent: bodies.otpSent,
  UserCreated: bodies.userCreated,
  LoggedIn: bodies.loggedIn,
  Refreshed: bodies.refreshed,
  Me: bodies.me,
  Product: bodies.product,
  ProductCreated: bodies.productCreated,
  ProductUpdated: bodies.productUpdated,
  ProductDeleted: bodies.productDeleted,
  ProductList: bodies.productList,
  OrderStatus: orderStatus,
  OrderLine: bodies.orderLine,
  Order: bodies.order,
  OrderPlaced: bodies.orderPlaced,
  OrderList: bodies.orderList,
  OrderCancelled: bodies.orderCancelled,
  EventView: history.eventView,
  TimelineEntry: history.timelineEntry,
  OrderTimeline: history.orderTimeline,
  AuditEvents: history.auditEvents,
  AccessLogEntry: history.accessLogEntry,
  AccessLog: history.accessLog,
  QueueDeadLetter: history.queueDeadLetter,
  EmailDeadLetter: history.emailDeadLetter,
  DeadLetter: history.deadLetter,
  DeadLetterList: history.deadLetterList,
  Redriven: history.redriven,
  ProjectionStatus: projectionStatusSchema,
  ProjectionStatusList: projectionStatusList,
  RebuildStarted: rebuildStarted,
  Health: bodies.health,
  Readiness: bodies.readiness,
  OpenApiDocument: openApiDocument,
  PrometheusText: prometheusText,
};
