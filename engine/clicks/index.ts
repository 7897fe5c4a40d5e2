export { ClickRecorder, type ClickRecorderOptions } from './recorder';
export { TransactionBatchWriter, type BatchWriter } from './batch-writer';
export { WorkerBatchWriter } from './worker-writer';
export { ClickSpool } from './spool';
export { clickRecordedEvents } from './events';
export { CountryLocator } from './countries';
export { VisitorHasher } from './visitors';
export type { CapturedClick, ClickedLink, FlushListener, IdentifiedClick, RecordedClick } from './types';
