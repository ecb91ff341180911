package sim.postgres.mvcc;

/** 32-bit transaction ids compared modulo 2^32, like TransactionIdPrecedes. */
public final class Xids {
  public static final int INVALID = 0;
  public static final int BOOTSTRAP = 1;
  public static final int FROZEN = 2;
  public static final int FIRST_NORMAL = 3;

  private Xids() {}

  public static boolean isNormal(int xid) {
    return Integer.compareUnsigned(xid, FIRST_NORMAL) >= 0;
  }

  /** a logically precedes b: permanent xids precede everything, normal ones compare by signed difference. */
  public static boolean precedes(int a, int b) {
    if (!isNormal(a) || !isNormal(b)) return Integer.compareUnsigned(a, b) < 0;
    return a - b < 0;
  }

  public static boolean precedesOrEquals(int a, int b) {
    return a == b || precedes(a, b);
  }

  public static boolean follows(int a, int b) {
    return precedes(b, a);
  }

  /** The xid after this one, skipping the permanent ids at wraparound. */
  public static int advance(int xid) {
    int next = xid + 1;
    return isNormal(next) ? next : FIRST_NORMAL;
  }

  public static String format(int xid) {
    return Integer.toUnsignedString(xid);
  }
}
