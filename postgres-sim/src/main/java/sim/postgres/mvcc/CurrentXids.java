package sim.postgres.mvcc;

/**
 * TransactionIdIsCurrentTransactionId: the running transaction's own xids, its top-level xid and every
 * subtransaction xid not rolled back. A tuple such an xid wrote is the transaction's own change.
 */
public interface CurrentXids {
  CurrentXids NONE = xid -> false;

  boolean isCurrent(int xid);
}
