import {
  addProductBody,
  productListQuery,
  productParams,
  updateProductBody,
} from '../../routes/products.js';
import {
  product,
  productCreated,
  productDeleted,
  productList,
  productUpdated,
} from '../schemas.js';
import { problems, written } from '../operation.js';
import type { Operation } from '../operation.js';

const tags = ['Products'];

export const productOperations: readonly Operation[] = [
  {
    method: 'get',
    path: '/api/products',
    operationId: 'listProducts',
    summary: 'The catalog, a page at a time',
    description:
      'Deleted products are left out. Send `X-Min-Position` after a write to read your own write.',
    tags,
    query: productListQuery,
    headers: ['X-Min-Position'],
    responses: [{ status: 200, description: 'One page of products', schema: productList }],
    problems: problems({}),
  },
  {
    method: 'get',
    path: '/api/products/{id}',
    operationId: 'getProduct',
    summary: 'One product',
    tags,
    pathParams: productParams,
    responses: [
      {
        status: 200,
        description: 'The product; its ETag is the stream revision',
        schema: product,
        headers: [{ name: 'ETag', required: true }],
      },
    ],
    problems: problems({}, 404),
  },
  {
    method: 'post',
    path: '/api/products',
    operationId: 'addProduct',
    summary: 'Add a product',
    tags,
    roles: ['admin'],
    body: addProductBody,
    responses: [
      {
        status: 201,
        description: 'Added',
        schema: productCreated,
        headers: [...(written ?? []), { name: 'Location', required: true }],
      },
    ],
    problems: problems({ body: true, roles: true }, 409),
  },
  {
    method: 'put',
    path: '/api/products/{id}',
    operationId: 'updateProduct',
    summary: 'Rename, reprice or set the on-hand stock of a product',
    description:
      '`stock` sets the count on hand; it may not go below what open orders reserve (422).',
    tags,
    roles: ['admin'],
    pathParams: productParams,
    headers: ['If-Match'],
    body: updateProductBody,
    responses: [{ status: 200, description: 'Updated', schema: productUpdated, headers: written }],
    problems: problems({ body: true, roles: true }, 404, 409, 412, 422),
  },
  {
    method: 'delete',
    path: '/api/products/{id}',
    operationId: 'deleteProduct',
    summary: 'Delete a product',
    description: 'Its history is kept; orders for it fail from now on.',
    tags,
    roles: ['admin'],
    pathParams: productParams,
    headers: ['If-Match'],
    responses: [{ status: 200, description: 'Deleted', schema: productDeleted, headers: written }],
    problems: problems({ roles: true }, 404, 409, 412),
  },
];
