package sim.kafka.client;

import java.util.List;
import java.util.Map;
import sim.core.NodeContext;
import sim.kafka.broker.TopicPartition;

/**
 * Where a {@link TransactionalProducer}'s transactions come from when an application drives it (consume-transform-produce)
 * rather than its own generated workload: each transaction's records with their partitions, and the consumed offsets to
 * commit inside it ({@code sendOffsetsToTransaction(offsets, new ConsumerGroupMetadata(groupId))}).
 */
public interface TxnSource {
  /** One output record. */
  record Out(int partition, byte[] key, String value) {}

  /** A transaction to run: its records, and (if not empty) the group's next offsets to commit with it. */
  record Txn(List<Out> records, String groupId, Map<TopicPartition, Long> offsets) {}

  /** The next transaction, or null while there is nothing to send (the producer asks again after {@code gapMs}). */
  Txn next(NodeContext ctx);

  /** The transaction handed out last ended: committed, aborted or fenced (then the producer initializes again). */
  void ended(NodeContext ctx, String outcome);
}
