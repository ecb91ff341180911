package sim.redis.command;

import java.util.ArrayList;
import java.util.List;
import sim.redis.keyspace.RString;
import sim.redis.keyspace.RedisObject;
import sim.redis.resp.Numbers;

/** The bitmap family (bitops.c, 7.0): SETBIT GETBIT BITCOUNT BITPOS BITOP; BITFIELD is {@link BitfieldCommand}. */
final class BitmapCommands {
  private BitmapCommands() {}

  private static final String OFFSET_ERR = "ERR bit offset is not an integer or out of range";

  /** getBitOffsetFromArgument: a bit offset ("#n" = n * bits where allowed), below 2^32 bytes' worth of bits. */
  static Long bitOffset(Call c, int i, boolean hash, int bits) {
    String p = c.arg(i);
    boolean useHash = !p.isEmpty() && p.charAt(0) == '#' && hash && bits > 0;
    Long v = Numbers.parseLong(useHash ? p.substring(1) : p);
    if (v == null) {
      c.out.error(OFFSET_ERR);
      return null;
    }
    long off = v;
    if (useHash) off *= bits;
    if (off < 0 || (!c.client.isMaster() && (off >> 3) >= StringCommands.PROTO_MAX_BULK_LEN)) {
      c.out.error(OFFSET_ERR);
      return null;
    }
    return off;
  }

  static char[] chars(RedisObject o) {
    return o == null ? new char[0] : ((RString) o).value().toCharArray();
  }

  /** lookupStringForBitCommand: the string grown with zero bytes to hold {@code maxBit}; null when WRONGTYPE. */
  static char[] forWrite(Call c, long maxBit, boolean[] existed) {
    RedisObject o = c.lookupWrite(c.arg(1));
    if (c.wrongType(o, RString.class)) return null;
    existed[0] = o != null;
    char[] cur = chars(o);
    int need = (int) (maxBit >> 3) + 1;
    if (cur.length >= need) return cur;
    char[] grown = new char[need];
    System.arraycopy(cur, 0, grown, 0, cur.length);
    return grown;
  }

  static void store(Call c, char[] v, boolean existed) {
    RString s = new RString(new String(v), RString.RAW);
    if (existed) c.db().put(c.arg(1), s);
    else c.add(c.arg(1), s);
  }

  static void setbit(Call c) {
    Long off = bitOffset(c, 2, false, 0);
    if (off == null) return;
    Long on = c.longArg(3, "ERR bit is not an integer or out of range");
    if (on == null) return;
    if ((on & ~1L) != 0) {
      c.out.error("ERR bit is not an integer or out of range");
      return;
    }
    boolean[] existed = new boolean[1];
    RedisObject before = c.db().get(c.arg(1));
    int oldLen = before instanceof RString s ? s.value().length() : 0;
    char[] v = forWrite(c, off, existed);
    if (v == null) return;
    boolean grew = !existed[0] || v.length != oldLen;
    int byteIdx = (int) (off >> 3);
    int bit = 7 - (int) (off & 7);
    int byteVal = v[byteIdx];
    int bitVal = byteVal & (1 << bit);
    if (grew || (bitVal != 0) != (on == 1)) {
      byteVal &= ~(1 << bit);
      byteVal |= (int) ((on & 1) << bit);
      v[byteIdx] = (char) (byteVal & 0xff);
      store(c, v, existed[0]);
      c.modified(c.arg(1));
      c.dirty(1);
    }
    c.out.integer(bitVal != 0 ? 1 : 0);
  }

  static void getbit(Call c) {
    Long off = bitOffset(c, 2, false, 0);
    if (off == null) return;
    RedisObject o = c.lookup(c.arg(1));
    if (o == null) {
      c.out.integer(0);
      return;
    }
    if (c.wrongType(o, RString.class)) return;
    String s = ((RString) o).value();
    long byteIdx = off >> 3;
    int bit = 7 - (int) (off & 7);
    int val = byteIdx < s.length() ? s.charAt((int) byteIdx) & (1 << bit) : 0;
    c.out.integer(val != 0 ? 1 : 0);
  }

  static void bitop(Call c) {
    String op = c.arg(1).toLowerCase(java.util.Locale.ROOT);
    if (!List.of("and", "or", "xor", "not").contains(op)) {
      c.out.error(Errors.SYNTAX);
      return;
    }
    if (op.equals("not") && c.argc() != 4) {
      c.out.error("ERR BITOP NOT must be called with a single source key.");
      return;
    }
    int n = c.argc() - 3;
    List<String> src = new ArrayList<>();
    int maxLen = 0;
    for (int j = 0; j < n; j++) {
      RedisObject o = c.lookup(c.arg(j + 3));
      if (o == null) {
        src.add("");
        continue;
      }
      if (c.wrongType(o, RString.class)) return;
      String s = ((RString) o).value();
      src.add(s);
      maxLen = Math.max(maxLen, s.length());
    }
    String target = c.arg(2);
    if (maxLen > 0) {
      char[] res = new char[maxLen];
      for (int j = 0; j < maxLen; j++) {
        int output = j < src.get(0).length() ? src.get(0).charAt(j) : 0;
        if (op.equals("not")) output = ~output & 0xff;
        for (int i = 1; i < n; i++) {
          int b = j < src.get(i).length() ? src.get(i).charAt(j) : 0;
          switch (op) {
            case "and" -> output &= b;
            case "or" -> output |= b;
            default -> output ^= b;
          }
        }
        res[j] = (char) output;
      }
      c.setKey(target, new RString(new String(res), RString.RAW), false);
      c.dirty(1);
    } else if (c.delete(target)) {
      c.modified(target);
      c.dirty(1);
    }
    c.out.integer(maxLen);
  }

  /**
   * The range BITCOUNT and BITPOS share once their arguments are parsed: negative indexes from the end, clamped to
   * the string, and with BIT the bit range turned into bytes plus the masks of the bits outside it in the first
   * and last byte (bitcountCommand/bitposCommand).
   */
  private record ByteRange(long start, long end, int firstMask, int lastMask) {
    static ByteRange of(long start, long end, long strlen, boolean isbit) {
      long totlen = isbit ? strlen << 3 : strlen;
      if (start < 0) start = totlen + start;
      if (end < 0) end = totlen + end;
      if (start < 0) start = 0;
      if (end < 0) end = 0;
      if (end >= totlen) end = totlen - 1;
      if (!isbit || start > end) return new ByteRange(start, end, 0, 0);
      int firstMask = ~((1 << (8 - (start & 7))) - 1) & 0xff;
      int lastMask = (1 << (7 - (end & 7))) - 1;
      return new ByteRange(start >> 3, end >> 3, firstMask, lastMask);
    }
  }

  static void bitcount(Call c) {
    RedisObject o = c.lookup(c.arg(1));
    if (o == null) {
      c.out.integer(0);
      return;
    }
    if (c.wrongType(o, RString.class)) return;
    String s = ((RString) o).value();
    long strlen = s.length();
    long start;
    long end;
    int firstMask = 0;
    int lastMask = 0;
    if (c.argc() == 4 || c.argc() == 5) {
      Long st = c.longArg(2);
      if (st == null) return;
      Long en = c.longArg(3);
      if (en == null) return;
      start = st;
      end = en;
      if (start < 0 && end < 0 && start > end) {
        c.out.integer(0);
        return;
      }
      boolean isbit = false;
      if (c.argc() == 5) {
        if (c.isArg(4, "bit")) isbit = true;
        else if (!c.isArg(4, "byte")) {
          c.out.error(Errors.SYNTAX);
          return;
        }
      }
      ByteRange r = ByteRange.of(start, end, strlen, isbit);
      start = r.start();
      end = r.end();
      firstMask = r.firstMask();
      lastMask = r.lastMask();
    } else if (c.argc() == 2) {
      start = 0;
      end = strlen - 1;
    } else {
      c.out.error(Errors.SYNTAX);
      return;
    }
    if (start > end) {
      c.out.integer(0);
      return;
    }
    long count = 0;
    for (long i = start; i <= end; i++) count += Integer.bitCount(s.charAt((int) i));
    if (firstMask != 0) count -= Integer.bitCount(s.charAt((int) start) & firstMask);
    if (lastMask != 0) count -= Integer.bitCount(s.charAt((int) end) & lastMask);
    c.out.integer(count);
  }

  /** redisBitpos over {@code bytes}: the first position of {@code bit}, -1 when looking for 1 and there is none. */
  private static long bitpos(char[] p, int from, int count, int bit) {
    long pos = 0;
    for (int i = 0; i < count; i++) {
      int b = p[from + i];
      for (int k = 7; k >= 0; k--) {
        if (((b >> k) & 1) == bit) return pos;
        pos++;
      }
    }
    return bit == 1 ? -1 : pos; // zeros are assumed to the right of the string
  }

  static void bitpos(Call c) {
    Long bitArg = c.longArg(2);
    if (bitArg == null) return;
    if (bitArg != 0 && bitArg != 1) {
      c.out.error("ERR The bit argument must be 1 or 0.");
      return;
    }
    int bit = (int) (long) bitArg;
    RedisObject o = c.lookup(c.arg(1));
    if (o == null) {
      c.out.integer(bit == 1 ? -1 : 0);
      return;
    }
    if (c.wrongType(o, RString.class)) return;
    char[] p = ((RString) o).value().toCharArray();
    long strlen = p.length;
    long start;
    long end;
    boolean endGiven = false;
    int firstMask = 0;
    int lastMask = 0;
    if (c.argc() >= 4 && c.argc() <= 6) {
      Long st = c.longArg(3);
      if (st == null) return;
      start = st;
      boolean isbit = false;
      if (c.argc() == 6) {
        if (c.isArg(5, "bit")) isbit = true;
        else if (!c.isArg(5, "byte")) {
          c.out.error(Errors.SYNTAX);
          return;
        }
      }
      if (c.argc() >= 5) {
        Long en = c.longArg(4);
        if (en == null) return;
        end = en;
        endGiven = true;
      } else {
        end = isbit ? (strlen << 3) + 7 : strlen - 1;
      }
      ByteRange r = ByteRange.of(start, end, strlen, isbit);
      start = r.start();
      end = r.end();
      firstMask = r.firstMask();
      lastMask = r.lastMask();
    } else if (c.argc() == 3) {
      start = 0;
      end = strlen - 1;
    } else {
      c.out.error(Errors.SYNTAX);
      return;
    }
    if (start > end) {
      c.out.integer(-1);
      return;
    }
    long bytes = end - start + 1;
    long pos;
    resolved: {
      if (firstMask != 0) {
        int tmp = bit == 1 ? p[(int) start] & ~firstMask : p[(int) start] | firstMask;
        if (lastMask != 0 && bytes == 1) tmp = bit == 1 ? tmp & ~lastMask : tmp | lastMask;
        pos = bitpos(new char[] {(char) (tmp & 0xff)}, 0, 1, bit);
        if (bytes == 1 || (pos != -1 && pos != 8)) break resolved;
        start++;
        bytes--;
      }
      long cur = bytes - (lastMask != 0 ? 1 : 0);
      if (cur > 0) {
        pos = bitpos(p, (int) start, (int) cur, bit);
        if (bytes == cur || (pos != -1 && pos != cur << 3)) break resolved;
        start += cur;
        bytes -= cur;
      }
      int tmp = bit == 1 ? p[(int) end] & ~lastMask : p[(int) end] | lastMask;
      pos = bitpos(new char[] {(char) (tmp & 0xff)}, 0, 1, bit);
    }
    if (endGiven && bit == 0 && pos == bytes << 3) {
      c.out.integer(-1);
      return;
    }
    if (pos != -1) pos += start << 3;
    c.out.integer(pos);
  }
}
