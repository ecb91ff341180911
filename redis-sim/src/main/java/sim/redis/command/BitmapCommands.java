package sim.redis.command;

import java.util.ArrayList;
import java.util.List;
import sim.redis.keyspace.RString;
import sim.redis.keyspace.RedisObject;
import sim.redis.resp.Numbers;

/** The bitmap family (bitops.c, 7.0): SETBIT GETBIT BITCOUNT BITPOS BITOP BITFIELD BITFIELD_RO. */
final class BitmapCommands {
  private BitmapCommands() {}

  private static final String OFFSET_ERR = "ERR bit offset is not an integer or out of range";

  /** getBitOffsetFromArgument: a bit offset ("#n" = n * bits where allowed), below 2^32 bytes' worth of bits. */
  private static Long bitOffset(Call c, int i, boolean hash, int bits) {
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

  private static char[] chars(RedisObject o) {
    return o == null ? new char[0] : ((RString) o).value().toCharArray();
  }

  /** lookupStringForBitCommand: the string grown with zero bytes to hold {@code maxBit}; null when WRONGTYPE. */
  private static char[] forWrite(Call c, long maxBit, boolean[] existed) {
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

  private static void store(Call c, char[] v, boolean existed) {
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

  // ---- BITFIELD --------------------------------------------------------------------------------------

  private static final int WRAP = 0;
  private static final int SAT = 1;
  private static final int FAIL = 2;

  private record Op(long offset, long value, int opcode, int overflow, int bits, boolean signed) {}

  static void bitfield(Call c) {
    bitfieldGeneric(c, false);
  }

  static void bitfieldRo(Call c) {
    bitfieldGeneric(c, true);
  }

  private static void bitfieldGeneric(Call c, boolean readOnlyCommand) {
    List<Op> ops = new ArrayList<>();
    int overflow = WRAP;
    boolean readonly = true;
    long highest = 0;
    for (int j = 2; j < c.argc(); j++) {
      int rem = c.argc() - j - 1;
      int opcode;
      if (c.isArg(j, "get") && rem >= 2) opcode = 0;
      else if (c.isArg(j, "set") && rem >= 3) opcode = 1;
      else if (c.isArg(j, "incrby") && rem >= 3) opcode = 2;
      else if (c.isArg(j, "overflow") && rem >= 1) {
        String t = c.arg(++j);
        if (t.equalsIgnoreCase("wrap")) overflow = WRAP;
        else if (t.equalsIgnoreCase("sat")) overflow = SAT;
        else if (t.equalsIgnoreCase("fail")) overflow = FAIL;
        else {
          c.out.error("ERR Invalid OVERFLOW type specified");
          return;
        }
        continue;
      } else {
        c.out.error(Errors.SYNTAX);
        return;
      }
      String type = c.arg(j + 1);
      boolean signed;
      String typeErr = "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
      if (type.startsWith("i")) signed = true;
      else if (type.startsWith("u")) signed = false;
      else {
        c.out.error(typeErr);
        return;
      }
      Long bits = Numbers.parseLong(type.substring(1));
      if (bits == null || bits < 1 || (signed && bits > 64) || (!signed && bits > 63)) {
        c.out.error(typeErr);
        return;
      }
      Long off = bitOffset(c, j + 2, true, (int) (long) bits);
      if (off == null) return;
      long value = 0;
      if (opcode != 0) {
        readonly = false;
        highest = Math.max(highest, off + bits - 1);
        Long v = c.longArg(j + 3);
        if (v == null) return;
        value = v;
      }
      ops.add(new Op(off, value, opcode, overflow, (int) (long) bits, signed));
      j += 3 - (opcode == 0 ? 1 : 0);
    }
    char[] p;
    boolean[] existed = new boolean[1];
    boolean grew = false;
    if (readonly) {
      RedisObject o = c.lookup(c.arg(1));
      if (o != null && c.wrongType(o, RString.class)) return;
      p = chars(o);
    } else {
      if (readOnlyCommand) {
        c.out.error("ERR BITFIELD_RO only supports the GET subcommand");
        return;
      }
      RedisObject before = c.db().get(c.arg(1));
      int oldLen = before instanceof RString s ? s.value().length() : 0;
      p = forWrite(c, highest, existed);
      if (p == null) return;
      grew = !existed[0] || p.length != oldLen;
    }
    int changes = 0;
    c.out.arrayHeader(ops.size());
    for (Op op : ops) {
      if (op.opcode() == 0) {
        char[] buf = new char[9];
        long byteIdx = op.offset() >> 3;
        for (int i = 0; i < 9 && i + byteIdx < p.length; i++) buf[i] = p[(int) (i + byteIdx)];
        long v = getUnsigned(buf, op.offset() - byteIdx * 8, op.bits());
        c.out.integer(op.signed() ? signExtend(v, op.bits()) : v);
        continue;
      }
      long oldval = getUnsigned(p, op.offset(), op.bits());
      if (op.signed()) oldval = signExtend(oldval, op.bits());
      long newval;
      long retval;
      long[] limit = new long[1];
      int of;
      if (op.signed()) {
        if (op.opcode() == 2) {
          of = checkSigned(oldval, op.value(), op.bits(), op.overflow(), limit);
          newval = of != 0 ? limit[0] : oldval + op.value();
          retval = newval;
        } else {
          newval = op.value();
          of = checkSigned(newval, 0, op.bits(), op.overflow(), limit);
          if (of != 0) newval = limit[0];
          retval = oldval;
        }
      } else {
        if (op.opcode() == 2) {
          newval = oldval + op.value();
          of = checkUnsigned(oldval, op.value(), op.bits(), op.overflow(), limit);
          if (of != 0) newval = limit[0];
          retval = newval;
        } else {
          newval = op.value();
          of = checkUnsigned(newval, 0, op.bits(), op.overflow(), limit);
          if (of != 0) newval = limit[0];
          retval = oldval;
        }
      }
      if (of != 0 && op.overflow() == FAIL) {
        c.out.nullBulk();
        continue;
      }
      c.out.integer(retval);
      setUnsigned(p, op.offset(), op.bits(), newval);
      if (grew || oldval != newval) changes++;
    }
    if (!readonly) store(c, p, existed[0]); // lookupStringForBitCommand created or grew it, changed or not
    if (changes > 0) {
      c.modified(c.arg(1));
      c.dirty(changes);
    }
  }

  private static long getUnsigned(char[] p, long offset, int bits) {
    long value = 0;
    for (int j = 0; j < bits; j++) {
      int byteIdx = (int) (offset >> 3);
      int bit = 7 - (int) (offset & 7);
      long bitval = (p[byteIdx] >> bit) & 1;
      value = (value << 1) | bitval;
      offset++;
    }
    return value;
  }

  private static long signExtend(long v, int bits) {
    if (bits < 64 && (v & (1L << (bits - 1))) != 0) v |= -1L << bits;
    return v;
  }

  private static void setUnsigned(char[] p, long offset, int bits, long value) {
    for (int j = 0; j < bits; j++) {
      long bitval = (value & (1L << (bits - 1 - j))) != 0 ? 1 : 0;
      int byteIdx = (int) (offset >> 3);
      int bit = 7 - (int) (offset & 7);
      int byteval = p[byteIdx];
      byteval &= ~(1 << bit);
      byteval |= (int) (bitval << bit);
      p[byteIdx] = (char) (byteval & 0xff);
      offset++;
    }
  }

  /** checkUnsignedBitfieldOverflow (64-bit wrap-around arithmetic as in C). */
  private static int checkUnsigned(long value, long incr, int bits, int owtype, long[] limit) {
    long max = bits == 64 ? -1L : (1L << bits) - 1;
    long maxincr = max - value;
    long minincr = -value;
    if (Long.compareUnsigned(value, max) > 0 || (incr > 0 && incr > maxincr)) {
      if (owtype == WRAP) return wrapUnsigned(value, incr, bits, limit, 1);
      if (owtype == SAT) limit[0] = max;
      return 1;
    } else if (incr < 0 && incr < minincr) {
      if (owtype == WRAP) return wrapUnsigned(value, incr, bits, limit, 1);
      if (owtype == SAT) limit[0] = 0;
      return -1;
    }
    return 0;
  }

  private static int wrapUnsigned(long value, long incr, int bits, long[] limit, int ret) {
    long mask = -1L << bits;
    limit[0] = (value + incr) & ~mask;
    return ret;
  }

  /** checkSignedBitfieldOverflow. */
  private static int checkSigned(long value, long incr, int bits, int owtype, long[] limit) {
    long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
    long min = -max - 1;
    long maxincr = max - value;
    long minincr = min - value;
    if (value > max || (bits != 64 && incr > maxincr) || (value >= 0 && incr > 0 && incr > maxincr)) {
      if (owtype == WRAP) return wrapSigned(value, incr, bits, limit);
      if (owtype == SAT) limit[0] = max;
      return 1;
    } else if (value < min || (bits != 64 && incr < minincr) || (value < 0 && incr < 0 && incr < minincr)) {
      if (owtype == WRAP) return wrapSigned(value, incr, bits, limit);
      if (owtype == SAT) limit[0] = min;
      return -1;
    }
    return 0;
  }

  private static int wrapSigned(long value, long incr, int bits, long[] limit) {
    long msb = 1L << (bits - 1);
    long r = value + incr;
    if (bits < 64) {
      long mask = -1L << bits;
      if ((r & msb) != 0) r |= mask;
      else r &= ~mask;
    }
    limit[0] = r;
    return 1;
  }
}
