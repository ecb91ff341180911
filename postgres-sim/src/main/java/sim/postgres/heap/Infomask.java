package sim.postgres.heap;

import java.util.ArrayList;
import java.util.List;

/** t_infomask and t_infomask2 bits, with PostgreSQL's values (src/include/access/htup_details.h). */
public final class Infomask {
  public static final int HEAP_HASNULL = 0x0001;
  public static final int HEAP_HASVARWIDTH = 0x0002;
  public static final int HEAP_XMAX_KEYSHR_LOCK = 0x0010;
  public static final int HEAP_COMBOCID = 0x0020;
  public static final int HEAP_XMAX_EXCL_LOCK = 0x0040;
  public static final int HEAP_XMAX_LOCK_ONLY = 0x0080;
  public static final int HEAP_XMAX_SHR_LOCK = HEAP_XMAX_EXCL_LOCK | HEAP_XMAX_KEYSHR_LOCK;
  public static final int HEAP_XMIN_COMMITTED = 0x0100;
  public static final int HEAP_XMIN_INVALID = 0x0200;
  public static final int HEAP_XMIN_FROZEN = HEAP_XMIN_COMMITTED | HEAP_XMIN_INVALID;
  public static final int HEAP_XMAX_COMMITTED = 0x0400;
  public static final int HEAP_XMAX_INVALID = 0x0800;
  public static final int HEAP_XMAX_IS_MULTI = 0x1000;
  public static final int HEAP_UPDATED = 0x2000;
  /** Every bit that describes xmax; cleared whenever a new xmax is set. */
  public static final int XMAX_BITS = HEAP_XMAX_KEYSHR_LOCK | HEAP_XMAX_EXCL_LOCK | HEAP_XMAX_LOCK_ONLY
      | HEAP_XMAX_COMMITTED | HEAP_XMAX_INVALID | HEAP_XMAX_IS_MULTI;

  public static final int HEAP_KEYS_UPDATED = 0x2000;
  public static final int HEAP_HOT_UPDATED = 0x4000;
  public static final int HEAP_ONLY_TUPLE = 0x8000;

  private Infomask() {}

  /** The flag names pageinspect's heap_tuple_infomask_flags prints, in bit order. */
  public static List<String> names(int infomask, int infomask2) {
    List<String> out = new ArrayList<>();
    if ((infomask & HEAP_HASNULL) != 0) out.add("HEAP_HASNULL");
    if ((infomask & HEAP_HASVARWIDTH) != 0) out.add("HEAP_HASVARWIDTH");
    if ((infomask & HEAP_XMAX_SHR_LOCK) == HEAP_XMAX_SHR_LOCK) out.add("HEAP_XMAX_SHR_LOCK");
    else {
      if ((infomask & HEAP_XMAX_KEYSHR_LOCK) != 0) out.add("HEAP_XMAX_KEYSHR_LOCK");
      if ((infomask & HEAP_XMAX_EXCL_LOCK) != 0) out.add("HEAP_XMAX_EXCL_LOCK");
    }
    if ((infomask & HEAP_COMBOCID) != 0) out.add("HEAP_COMBOCID");
    if ((infomask & HEAP_XMAX_LOCK_ONLY) != 0) out.add("HEAP_XMAX_LOCK_ONLY");
    if ((infomask & HEAP_XMIN_FROZEN) == HEAP_XMIN_FROZEN) out.add("HEAP_XMIN_FROZEN");
    else {
      if ((infomask & HEAP_XMIN_COMMITTED) != 0) out.add("HEAP_XMIN_COMMITTED");
      if ((infomask & HEAP_XMIN_INVALID) != 0) out.add("HEAP_XMIN_INVALID");
    }
    if ((infomask & HEAP_XMAX_COMMITTED) != 0) out.add("HEAP_XMAX_COMMITTED");
    if ((infomask & HEAP_XMAX_INVALID) != 0) out.add("HEAP_XMAX_INVALID");
    if ((infomask & HEAP_XMAX_IS_MULTI) != 0) out.add("HEAP_XMAX_IS_MULTI");
    if ((infomask & HEAP_UPDATED) != 0) out.add("HEAP_UPDATED");
    if ((infomask2 & HEAP_KEYS_UPDATED) != 0) out.add("HEAP_KEYS_UPDATED");
    if ((infomask2 & HEAP_HOT_UPDATED) != 0) out.add("HEAP_HOT_UPDATED");
    if ((infomask2 & HEAP_ONLY_TUPLE) != 0) out.add("HEAP_ONLY_TUPLE");
    return out;
  }
}
