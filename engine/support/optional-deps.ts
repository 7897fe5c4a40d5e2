/**
 * Dependencies only some engines use, loaded at their first use instead of at start: an engine on SQLite without
 * Redis, SMTP or OIDC never loads them, which keeps about 30 MB of code and heap out of every process that needs none
 * of them. Each `import type` elsewhere keeps its types. The Postgres driver (store/db.ts) and the BullMQ dispatcher
 * (wiring/webhooks.ts) load the same way where they are used, as the layers require.
 */
export const ioredis = () => require('ioredis') as typeof import('ioredis');
export const nodemailer = () => require('nodemailer') as typeof import('nodemailer');
export const openidClient = () => require('openid-client') as typeof import('openid-client');
export const qrcode = () => require('qrcode') as typeof import('qrcode');
