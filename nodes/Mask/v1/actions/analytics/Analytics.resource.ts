import { resourceDescription } from '../../helpers/operations';
import type { MaskResource } from '../node.type';
import * as exportClicks from './exportClicks.operation';
import * as getBreakdown from './getBreakdown.operation';
import * as getTimeSeries from './getTimeSeries.operation';

const operations = { getTimeSeries, getBreakdown, exportClicks };

export const analytics: MaskResource = {
	operations,
	description: resourceDescription(
		'analytics',
		'getTimeSeries',
		[
			{ name: 'Export Clicks', value: 'exportClicks', description: 'Download raw clicks as a CSV or NDJSON file (binary), for all links or one', action: 'Export clicks' },
			{ name: 'Get Breakdown', value: 'getBreakdown', description: 'Count clicks by referrer, country, device, browser, OS, link, rule, variant or campaign; one item per group', action: 'Get a click breakdown' },
			{ name: 'Get Time Series', value: 'getTimeSeries', description: 'Count clicks and unique visitors per hour, day, week or month; one item per bucket', action: 'Get a click time series' },
		],
		operations,
	),
};
