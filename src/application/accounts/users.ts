import { InvalidInput } from '../../domain/shared/index.js';
import type { UserRole } from '../ports/security.js';

export const usersCollection = 'users';

/** The only place personal data lives; events and order documents carry `_id` alone. */
export type UserDoc = {
  _id: string;
  name: string;
  email: string;
  phone: string | null;
  role: UserRole;
  passwordHash: string;
  createdAt: string;
};

export type UserView = {
  _id: string;
  name: string;
  email: string;
  phone: string | null;
  role: UserRole;
};

export const toUserView = ({ _id, name, email, phone, role }: UserDoc): UserView => ({
  _id,
  name,
  email,
  phone,
  role,
});

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

export const passwordPolicy = { minLength: 8, maxLength: 128 } as const;

/** Enforced here as well as in the HTTP schema, because the CLI reaches accounts without it. */
export const checkPassword = (password: string, confirmPassword?: string): void => {
  if (password.length < passwordPolicy.minLength) {
    throw new InvalidInput(`Password must be at least ${passwordPolicy.minLength} characters`);
  }
  if (password.length > passwordPolicy.maxLength) {
    throw new InvalidInput(`Password must be at most ${passwordPolicy.maxLength} characters`);
  }
  if (confirmPassword !== undefined && confirmPassword !== password) {
    throw new InvalidInput('Passwords do not match');
  }
};
