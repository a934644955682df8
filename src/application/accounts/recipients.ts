import type { DocumentStore } from '../ports/index.js';
import { usersCollection, type UserDoc } from './users.js';

/** Who a mail about a user's order goes to, as their account says now; null once it is erased. */
export type Recipient = { userId: string; name: string; email: string };

export type Recipients = (userId: string) => Promise<Recipient | null>;

/** Accounts answer for the people: other modules ask here rather than read the users collection. */
export const createRecipients =
  (documents: DocumentStore): Recipients =>
  async (userId) => {
    const user = userId ? await documents.collection<UserDoc>(usersCollection).get(userId) : null;
    return user ? { userId: user._id, name: user.name, email: user.email } : null;
  };
