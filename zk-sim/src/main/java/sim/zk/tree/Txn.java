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

  private static final byte[] DIGITS = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** {@code 0x} and the lowercase hex digits, as ZooKeeper logs zxids (written out: this is on every narrated write). */
  public static String hex(long zxid) {
    int digits = zxid == 0 ? 1 : (67 - Long.numberOfLeadingZeros(zxid)) / 4;
    byte[] b = new byte[2 + digits];
    b[0] = '0';
    b[1] = 'x';
    for (int i = b.length - 1; i >= 2; i--, zxid >>>= 4) b[i] = DIGITS[(int) (zxid & 0xf)];
    return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  @Override
  public String toString() {
    return "Txn[" + hex(zxid) + " session 0x" + Long.toHexString(sessionId) + " cxid " + cxid + ": " + op + "]";
  }
}
