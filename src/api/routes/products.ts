import { readModels } from '../../subscriptions.js';
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { AccessTokens } from '../../application/accounts/index.js';
import type { ProductHandler } from '../../application/products/index.js';
import { toProductStreamId } from '../../domain/products/index.js';
import { NotFound, toMinor } from '../../domain/shared/index.js';
import type { Queries } from '../../projections/index.js';
import { publicView } from '../../projections/index.js';
import { sendDoc, ifMatchOf, setWritten } from '../http.js';
import { authenticate, requireRole } from '../middleware/authenticate.js';
import { messageContextOf } from '../middleware/requestContext.js';
import type { WaitForPosition } from '../middleware/minPosition.js';
import { parse } from '../validation.js';

const name = z.string().trim().min(1).max(200);
const price = z.number().nonnegative().max(1e10);
const stock = z.number().int().nonnegative().max(1e9);
export const addProductBody = z.strictObject({ name, price, stock });
export const updateProductBody = z
  .strictObject({ name: name.optional(), price: price.optional(), stock: stock.optional() })
  .refine((body) => Object.keys(body).length > 0, 'name, price or stock is required');
export const productParams = z.strictObject({ id: z.uuid() });
export const productListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(500).optional(),
});

export type ProductsRouterDeps = {
  products: ProductHandler;
  queries: Queries;
  tokens: AccessTokens;
  waitForPosition: WaitForPosition;
};

export const productsRouter = ({
  products,
  queries,
  tokens,
  waitForPosition,
}: ProductsRouterDeps) => {
  const router = Router();
  const admin = [authenticate(tokens), requireRole('admin')];

  router.get('/', async (req, res) => {
    const query = parse(productListQuery, req.query);
    await waitForPosition(req, readModels.products.name);
    const page = await queries.listProducts(query);
    res.json({ success: true, products: page.items.map(publicView), nextCursor: page.nextCursor });
  });

  router.get('/:id', async (req, res) => {
    const { id } = parse(productParams, req.params);
    const doc = await queries.loadProductFromStream(id);
    if (!doc) throw new NotFound(`product ${id} not found`);
    sendDoc(res, doc);
  });

  router.post('/', ...admin, async (req, res) => {
    const body = parse(addProductBody, req.body);
    const productId = randomUUID();
    const context = messageContextOf(res);
    const result = await products.handle(
      toProductStreamId(productId),
      {
        type: 'AddProduct',
        data: {
          productId,
          name: body.name,
          price: toMinor(body.price),
          stock: body.stock,
          addedBy: context.userId,
        },
      },
      context,
      { newStream: true },
    );
    const doc = await queries.loadProductFromStream(productId);
    setWritten(res, result.revision, result.position);
    res
      .status(201)
      .location(`/api/products/${productId}`)
      .json({
        success: true,
        product: {
          _id: productId,
          name: doc?.name,
          price: doc?.price,
          stock: doc?.stock,
          createdAt: doc?.createdAt,
        },
        message: 'Product added successfully',
      });
  });

  router.put('/:id', ...admin, async (req, res) => {
    const { id } = parse(productParams, req.params);
    const body = parse(updateProductBody, req.body);
    const result = await products.handle(
      toProductStreamId(id),
      {
        type: 'UpdateProduct',
        data: {
          productId: id,
          ...(body.name === undefined ? {} : { name: body.name }),
          ...(body.price === undefined ? {} : { price: toMinor(body.price) }),
          ...(body.stock === undefined ? {} : { stock: body.stock }),
        },
      },
      messageContextOf(res),
      { ifMatch: ifMatchOf(req) },
    );
    setWritten(res, result.revision, result.position);
    res.json({ success: true, message: 'Product updated successfully' });
  });

  router.delete('/:id', ...admin, async (req, res) => {
    const { id } = parse(productParams, req.params);
    const result = await products.handle(
      toProductStreamId(id),
      { type: 'DeleteProduct', data: { productId: id } },
      messageContextOf(res),
      { ifMatch: ifMatchOf(req) },
    );
    setWritten(res, result.revision, result.position);
    res.json({ success: true, message: 'Product deleted successfully' });
  });

  return router;
};
