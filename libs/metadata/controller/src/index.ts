export { Controller, type ControllerOptions, type ControllerEvent } from './controller';
export { Election, type ElectionOptions, type Leadership, type ControllerRecord } from './election';
export { reconcileLeadership, type ReconcileReport } from './failover';
