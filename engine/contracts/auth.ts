import { z } from 'zod/v4';
import { idOf, requiredText, timestamp } from './common';
import { email, role } from './members';

export const password = z
  .string({ message: 'Must be a string of 10 to 200 characters' })
  .min(10, 'Must be at least 10 characters')
  .max(200, 'Must be at most 200 characters')
  .describe('10–200 characters');

/** A one-time token as links carry it (43 base64url characters); anything else is simply unknown (404). */
export const oneTimeToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

export const loginBody = z.strictObject({
  email,
  // Checked only against the stored hash: any length is just a wrong password.
  password: z.string().min(1, 'Must not be empty').max(1000, 'Must be at most 1000 characters'),
});

export const setupQuery = z.strictObject({ token: z.string().max(200).describe('The token of the setup link') });

export const setupBody = z.strictObject({
  token: z.string().max(200).describe('The token of the setup (or password reset) link'),
  email,
  name: requiredText(200),
  password,
});

export const changePasswordBody = z.strictObject({
  current_password: z.string().min(1, 'Must not be empty').max(1000, 'Must be at most 1000 characters'),
  new_password: password,
});

export const acceptInvitationBody = z.strictObject({ name: requiredText(200), password });

export const tokenParams = z.strictObject({ token: oneTimeToken });

export const sessionBody = z.object({
  user: z.object({ id: z.string().describe('usr_…'), email: z.string(), name: z.string() }),
  workspaces: z.array(z.object({ id: z.string(), name: z.string(), role })),
  workspace_id: z.string().nullable().describe('The workspace requests act on (X-Mask-Workspace, default the first)'),
  csrf_token: z.string().describe('Send it as X-CSRF-Token with every state-changing request'),
});

export const setupCheck = z.object({
  valid: z.literal(true),
  kind: z.enum(['setup', 'password_reset']).describe('setup: the first-start link (creates the owner account); password_reset: sets the password of an existing account'),
});

export const invitationPreview = z.object({ email: z.string(), workspace_name: z.string(), role });

export const sessionItem = z.object({
  id: z.string().describe('ses_…'),
  created_at: timestamp,
  last_seen_at: timestamp,
  user_agent: z.string().nullable(),
  ip: z.string().nullable(),
  current: z.boolean(),
});

export const sessionList = z.object({ data: z.array(sessionItem) });
export const sessionParams = z.strictObject({ id: idOf('ses') });
export const oidcStatus = z.object({
  enabled: z.boolean(),
  label: z.string().optional().describe('What the sign-in button says (MASK_OIDC_LABEL); only when enabled'),
});

export const createInvitationBody = z.strictObject({
  email,
  role: z.enum(['admin', 'member', 'viewer'], { message: 'Must be admin, member or viewer' }).default('member'),
});

export const invitation = z.object({
  id: z.string().describe('inv_…'),
  email: z.string(),
  role,
  created_at: timestamp,
  expires_at: timestamp,
});

export const createdInvitation = invitation.extend({
  url: z.string().describe('The one-time invitation link; shown only in this response'),
  mailed: z.boolean().describe('Whether the link was also mailed to the invitee (false without MASK_SMTP_URL, or when sending failed)'),
});

export const invitationList = z.object({ data: z.array(invitation) });
export const invitationParams = z.strictObject({ id: idOf('inv') });
