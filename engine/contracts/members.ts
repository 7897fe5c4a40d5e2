import { z } from 'zod/v4';
import { ROLES, type Member } from '../domain/members';
import { toIso } from '../support/time';
import { listQuery, requiredText, timestamp } from './common';

export const role = z.enum(ROLES).describe('owner, admin, member or viewer');

export const member = z.object({
  id: z.string().describe('mem_…'),
  name: z.string(),
  email: z.string().describe('Lower case'),
  role,
  created_at: timestamp,
  updated_at: timestamp,
});

export const serializeMember = (m: Member): z.infer<typeof member> => ({
  id: m.id,
  name: m.name,
  email: m.email,
  role: m.role,
  created_at: toIso(m.createdAt) as string,
  updated_at: toIso(m.updatedAt) as string,
});

const name = requiredText(200);

export const email = z
  .string()
  .trim()
  .max(254, 'Must be at most 254 characters')
  .pipe(z.email({ message: 'Must be an email address such as ada@example.com' }))
  .transform((value) => value.toLowerCase());

export const createMemberBody = z.strictObject({
  name,
  email: email.describe('Unique in the workspace (case-insensitive); stored lower-cased'),
  role: role.default('member'),
});

export const updateMemberBody = z.strictObject({ name: name.optional(), role: role.optional() });

export const listMembersQuery = listQuery
  .extend({
    role: role.optional().describe('Only members with this role'),
    email: z.string().trim().max(254).optional().describe('Only the member with this email (case-insensitive)'),
  })
  .strict();
