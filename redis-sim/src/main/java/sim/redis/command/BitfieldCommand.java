package sim.redis.command;

import java.util.ArrayList;
import java.util.List;
import sim.redis.keyspace.RString;
import sim.redis.keyspace.RedisObject;
import sim.redis.resp.Numbers;

/**
 * BITFIELD and BITFIELD_RO (bitops.c, 7.0): GET, SET and INCRBY on integers of 1..64 bits (unsigned up to
 * 63) at any bit offset of a string, with OVERFLOW WRAP, SAT or FAIL for the operations after it.
 */
final class BitfieldCommand {
  private BitfieldCommand() {}

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
      Long off = BitmapCommands.bitOffset(c, j + 2, true, (int) (long) bits);
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
      p = BitmapCommands.chars(o);
    } else {
      if (readOnlyCommand) {
        c.out.error("ERR BITFIELD_RO only supports the GET subcommand");
        return;
      }
      RedisObject before = c.db().get(c.arg(1));
      int oldLen = before instanceof RString s ? s.value().length() : 0;
      p = BitmapCommands.forWrite(c, highest, existed);
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
    if (!readonly) BitmapCommands.store(c, p, existed[0]); // lookupStringForBitCommand created or grew it, changed or not
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
