import {
  status,
  type ServiceDefinition,
  type UntypedHandleCall,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { serviceNameOf } from './server';

export interface UnimplementedOptions {
  /** Who will implement it, named in the error, e.g. "issue 7 (broker produce path)". */
  readonly owner: string;
}

/**
 * Handlers answering every method of `definition` with UNIMPLEMENTED and a message naming the
 * method and who implements it. Lets an app serve its contract (health, reflection of the
 * surface, client wiring tests) before the logic lands. Only for that interim.
 */
export function unimplemented(definition: ServiceDefinition, options: UnimplementedOptions): UntypedServiceImplementation {
  const service = serviceNameOf(definition);
  const handlers: UntypedServiceImplementation = {};
  for (const [name, method] of Object.entries(definition)) {
    // The path holds the proto method name (`Produce`); generated keys are often camelCased.
    const protoName = method.path.slice(method.path.lastIndexOf('/') + 1);
    const error = {
      code: status.UNIMPLEMENTED,
      details: `${service}/${protoName} is not implemented yet (owner: ${options.owner})`,
    };
    let handler: UntypedHandleCall;
    if (!method.requestStream && !method.responseStream) {
      handler = (_call: unknown, callback: (e: typeof error) => void) => callback(error);
    } else if (method.requestStream && !method.responseStream) {
      handler = (_call: unknown, callback: (e: typeof error) => void) => callback(error);
    } else {
      // Server-streaming and bidi calls end with the status emitted as an error on the stream.
      handler = (call: { emit(event: 'error', e: typeof error): boolean }) => {
        call.emit('error', error);
      };
    }
    handlers[name] = handler;
  }
  return handlers;
}
