package sim.redis.command;

/**
 * The key expiry commands (expire.c): EXPIRE PEXPIRE EXPIREAT PEXPIREAT with NX/XX/GT/LT, TTL PTTL EXPIRETIME
 * PEXPIRETIME and PERSIST.
 */
final class ExpireCommands {
  private ExpireCommands() {}

  static void expire(Call c) {
    expireGeneric(c, c.now(), true);
  }

  static void pexpire(Call c) {
    expireGeneric(c, c.now(), false);
  }

  static void expireat(Call c) {
    expireGeneric(c, 0, true);
  }

  static void pexpireat(Call c) {
    expireGeneric(c, 0, false);
  }

  /** expireGenericCommand (expire.c, 7.0) including the NX XX GT LT options. */
  private static void expireGeneric(Call c, long basetime, boolean seconds) {
    boolean nx = false;
    boolean xx = false;
    boolean gt = false;
    boolean lt = false;
    for (int j = 3; j < c.argc(); j++) {
      String opt = c.arg(j);
      if (opt.equalsIgnoreCase("nx")) nx = true;
      else if (opt.equalsIgnoreCase("xx")) xx = true;
      else if (opt.equalsIgnoreCase("gt")) gt = true;
      else if (opt.equalsIgnoreCase("lt")) lt = true;
      else {
        c.out.error("ERR Unsupported option " + opt);
        return;
      }
    }
    if ((nx && xx) || (nx && gt) || (nx && lt)) {
      c.out.error("ERR NX and XX, GT or LT options at the same time are not compatible");
      return;
    }
    if (gt && lt) {
      c.out.error("ERR GT and LT options at the same time are not compatible");
      return;
    }
    Long when = c.longArg(2);
    if (when == null) return;
    long w = when;
    if (seconds) {
      if (w > Long.MAX_VALUE / 1000 || w < Long.MIN_VALUE / 1000) {
        c.out.error(Errors.invalidExpire(c.command.fullName()));
        return;
      }
      w *= 1000;
    }
    if (w > Long.MAX_VALUE - basetime) {
      c.out.error(Errors.invalidExpire(c.command.fullName()));
      return;
    }
    w += basetime;
    String key = c.arg(1);
    if (c.lookupWrite(key) == null) {
      c.out.integer(0);
      return;
    }
    long current = c.db().expireAtMs(key);
    if ((nx && current != -1) || (xx && current == -1) || (gt && (w <= current || current == -1))
        || (lt && current != -1 && w >= current)) {
      c.out.integer(0);
      return;
    }
    if (w <= c.now() && !c.loading() && !c.host.isReplica()) { // checkAlreadyExpired: delete now, propagate DEL
      c.delete(key);
      c.dirty(1);
      c.propagateAs("DEL", key);
      c.modified(key);
    } else {
      c.db().setExpire(key, w);
      c.modified(key);
      c.dirty(1);
      c.propagateAs("PEXPIREAT", key, Long.toString(w));
    }
    c.out.integer(1);
  }

  static void ttl(Call c) {
    ttlGeneric(c, false, false);
  }

  static void pttl(Call c) {
    ttlGeneric(c, true, false);
  }

  static void expiretime(Call c) {
    ttlGeneric(c, false, true);
  }

  static void pexpiretime(Call c) {
    ttlGeneric(c, true, true);
  }

  private static void ttlGeneric(Call c, boolean millis, boolean absolute) {
    String key = c.arg(1);
    if (c.lookup(key) == null) {
      c.out.integer(-2);
      return;
    }
    long at = c.db().expireAtMs(key);
    if (at == -1) {
      c.out.integer(-1);
      return;
    }
    long ttl = Math.max(0, absolute ? at : at - c.now());
    c.out.integer(millis ? ttl : (ttl + 500) / 1000);
  }

  static void persist(Call c) {
    String key = c.arg(1);
    if (c.lookupWrite(key) == null || !c.db().removeExpire(key)) {
      c.out.integer(0);
      return;
    }
    c.modified(key);
    c.dirty(1);
    c.out.integer(1);
  }
}
