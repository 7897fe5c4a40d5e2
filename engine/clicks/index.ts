export { ClickRecorder, type ClickRecorderOptions } from './recorder';
export type { BatchWriter } from './batch-writer';
export { InlineBatchWriter } from './inline-batch-writer';
export { ThreadBatchWriter, type ClickWriterThreadSetup } from './thread-batch-writer';
export { ClickSpool } from './spool';
export { clickRecordedEvents } from './events';
export { CountryLocator } from './countries';
export { VisitorHasher } from './visitors';
export type { CapturedClick, ClickedLink, FlushListener, IdentifiedClick, RecordedClick } from './types';
