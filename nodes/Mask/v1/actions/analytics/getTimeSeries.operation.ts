import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { maskApiRequest } from '../../../transport';
import { analyticsQuery, interval, reportOutput, scopeProperties, splitIntoItems, type AnalyticsReport } from './fields';

const properties: INodeProperties[] = [
	...scopeProperties,
	interval,
	splitIntoItems,
];

export const description = updateDisplayOptions({ show: { resource: ['analytics'], operation: ['getTimeSeries'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | IDataObject[]> {
	const qs = await analyticsQuery.call(this, itemIndex);
	qs.group_by = 'timeseries';
	qs.interval = this.getNodeParameter('interval', itemIndex);
	const report = (await maskApiRequest.call(this, 'GET', '/analytics', { qs, itemIndex })) as AnalyticsReport;
	return reportOutput.call(this, itemIndex, report);
}
