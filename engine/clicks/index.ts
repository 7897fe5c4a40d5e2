export { ClickRecorder, type ClickRecorderOptions } from './recorder';
export { clickRecordedEvents } from './events';
export { CountryLocator } from './countries';
export { VisitorHasher } from './visitors';
export type { CapturedClick, ClickedLink, FlushListener, RecordedClick } from './types';
