import { analytics } from './analytics/Analytics.resource';
import { apiKey } from './apiKey/ApiKey.resource';
import { campaign } from './campaign/Campaign.resource';
import { conversion } from './conversion/Conversion.resource';
import { domain } from './domain/Domain.resource';
import { exportResource } from './export/Export.resource';
import { folder } from './folder/Folder.resource';
import { importResource } from './import/Import.resource';
import { link } from './link/Link.resource';
import { member } from './member/Member.resource';
import type { MaskResource } from './node.type';
import { page } from './page/Page.resource';
import { pixel } from './pixel/Pixel.resource';
import { qrCode } from './qrCode/QrCode.resource';
import { rule } from './rule/Rule.resource';
import { utmTemplate } from './utmTemplate/UtmTemplate.resource';
import { webhook } from './webhook/Webhook.resource';
import { workspace } from './workspace/Workspace.resource';

export const resources: Record<string, MaskResource> = {
	analytics,
	apiKey,
	campaign,
	conversion,
	domain,
	export: exportResource,
	folder,
	import: importResource,
	link,
	member,
	page,
	pixel,
	qrCode,
	rule,
	utmTemplate,
	webhook,
	workspace,
};
