const HAS_ZONE = /(Z|[+-]\d{2}:?\d{2})$/i;

function wallClockParts(date: Date, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(date);
	const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
	return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
}

/**
 * MASK wants instants with an explicit zone; n8n's date picker yields wall-clock times without one
 * ("2026-12-31T23:59:59"). Those are read in the workflow's time zone, as the user sees them.
 */
export function toInstant(value: unknown, timeZone: string): string {
	const text = typeof value === 'object' && value !== null && 'toISO' in value ? String((value as { toISO(): string }).toISO()) : String(value).trim();
	if (HAS_ZONE.test(text)) {
		const date = new Date(text);
		return Number.isNaN(date.getTime()) ? text : date.toISOString();
	}
	const asUtc = new Date(`${text}Z`);
	if (Number.isNaN(asUtc.getTime())) return text;
	let instant = asUtc.getTime() - (wallClockParts(asUtc, timeZone) - asUtc.getTime());
	// Once more, in case the first guess crossed a daylight-saving change.
	instant = asUtc.getTime() - (wallClockParts(new Date(instant), timeZone) - instant);
	return new Date(instant).toISOString();
}
