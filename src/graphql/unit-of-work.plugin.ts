import { Logger } from '@nestjs/common';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Scope } from '../access/scope';

/**
 * Ends each request's transaction once its answer is known. A mutation that raised any error is rolled back
 * whole, so bad input changes nothing, and its answer carries only the errors; otherwise the transaction commits, including the audit rows queued for
 * it. If the commit itself fails (an audit insert refused, say) the data is withheld: an answer must never
 * reach a client without its audit record.
 * A request Apollo refuses while reading it (a batch, `variables` as a string) never reaches this pipeline; its
 * unit opened nothing, and TransactionBackstopHook closes it, as it would any unit a request left open.
 */
export function unitOfWorkPlugin(): ApolloServerPlugin<Scope> {
  const log = new Logger('UnitOfWork');
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation }) {
          // A query reads; what it writes is its audit (see UnitOfWork.readOnlyUntilWrite).
          if (operation?.operation === 'query') contextValue.unit.readOnlyUntilWrite();
        },
        async willSendResponse({ contextValue, response, operation, errors }) {
          const failedMutation = operation?.operation === 'mutation' && (errors?.length ?? 0) > 0;
          if (failedMutation || !operation) {
            await contextValue.unit.rollback();
            // What the other fields of a failed mutation answered was undone with it; it must not be shown as
            // done, and child data read on the way must not leave without its (rolled back) audit record.
            if (response.body.kind === 'single' && response.body.singleResult.data) {
              response.body.singleResult.data = null;
            }
            return;
          }
          try {
            await contextValue.unit.commit();
          } catch (error) {
            log.error({ requestId: contextValue.requestId, err: error }, 'commit failed; answer withheld');
            if (response.body.kind === 'single') {
              response.body.singleResult = {
                errors: [
                  {
                    message: 'Internal server error',
                    extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId: contextValue.requestId },
                  },
                ],
              };
            }
          }
        },
      };
    },
  };
}
