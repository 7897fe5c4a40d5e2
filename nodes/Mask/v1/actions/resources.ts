import { analytics } from './analytics/Analytics.resource';
import { domain } from './domain/Domain.resource';
import { link } from './link/Link.resource';
import { member } from './member/Member.resource';
import type { MaskResource } from './node.type';
import { page } from './page/Page.resource';
import { qrCode } from './qrCode/QrCode.resource';
import { webhook } from './webhook/Webhook.resource';
import { workspace } from './workspace/Workspace.resource';

export const resources: Record<string, MaskResource> = { analytics, domain, link, member, page, qrCode, webhook, workspace };
