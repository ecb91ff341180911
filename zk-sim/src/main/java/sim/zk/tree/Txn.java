package sim.zk.tree;

/**
 * A transaction as ZAB carries it and the txn log stores it ({@code TxnHeader} + body): the zxid the leader
 * gave it, the session and client xid that asked, the leader's clock, and the write itself.
 *
 * <p>Simplification: real ZooKeeper's {@code PrepRequestProcessor} checks the request on the leader (against
 * committed state plus outstanding changes) and logs a resolved txn ({@code CreateTxn} with the final
 * sequential name, or {@code ErrorTxn}). Here the check runs when the txn is applied; since every server
 * applies the same txns in zxid order to the same tree, the outcome and every Stat are identical.
 */
public record Txn(long zxid, long sessionId, int cxid, long timeMs, Op op) {
  public Txn {
    if (!op.isWrite()) throw new IllegalArgumentException("a txn carries a write, not " + op);
  }

  public static long epochOf(long zxid) {
    return zxid >>> 32;
  }

  public static long counterOf(long zxid) {
    return zxid & 0xffffffffL;
  }

  public static long makeZxid(long epoch, long counter) {
    return epoch << 32 | counter;
  }

  public static String hex(long zxid) {
    return "0x" + Long.toHexString(zxid);
  }

  @Override
  public String toString() {
    return "Txn[" + hex(zxid) + " session 0x" + Long.toHexString(sessionId) + " cxid " + cxid + ": " + op + "]";
  }
}
