package sim.redis.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import sim.redis.resp.Numbers;

/**
 * migrateCommand (cluster.c): MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE] [AUTH pw]
 * [AUTH2 user pw] [KEYS key...]. Each existing key goes to the target as RESTORE-ASKING key ttl payload
 * [REPLACE] (a DUMP payload); the source deletes a key only after the target answered +OK for it, and
 * propagates the deletions as one DEL. Redis does this with blocking socket I/O, so nothing else runs on the
 * source meanwhile; {@link ClusterNode} holds every other client request until the MIGRATE is over. This class
 * parses the command and keeps the one exchange in flight.
 */
final class Migrate {
  /** A MIGRATE that is ready to go: where, which keys (existing ones only), the options. */
  record Spec(String host, int port, long db, long timeoutMs, boolean copy, boolean replace, List<String> keys) {}

  /** What the target's replies came to: the keys to DEL and the client's reply. */
  record Outcome(List<String> delete, String reply) {}

  private final long clientRequestId;
  private final String client;
  private final Spec spec;
  private final TreeMap<Long, String> awaiting = new TreeMap<>(); // RESTORE request id -> key
  private final List<String> acknowledged = new ArrayList<>();
  private String targetError;

  Migrate(String client, long clientRequestId, Spec spec) {
    this.client = client;
    this.clientRequestId = clientRequestId;
    this.spec = spec;
  }

  /** migrateGetKeys: the key argument, or with KEYS (and an empty key argument) every argument after it. */
  static List<String> keys(List<String> argv) {
    if (argv.size() < 6) return List.of();
    for (int i = 6; i < argv.size(); i++) {
      String a = argv.get(i).toLowerCase(Locale.ROOT);
      if (a.equals("keys")) return argv.get(3).isEmpty() ? List.copyOf(argv.subList(i + 1, argv.size())) : List.of();
      if (a.equals("auth")) i += 1;
      else if (a.equals("auth2")) i += 2;
    }
    return List.of(argv.get(3));
  }

  /**
   * The argument checks of migrateCommand in its order; the error reply (RESP), or null with {@code out[0]} set.
   * {@code exists} filters the keys as lookupKeyRead does (keys that are gone are not migrated).
   */
  static String parse(List<String> argv, java.util.function.Predicate<String> exists, Spec[] out) {
    boolean copy = false;
    boolean replace = false;
    int firstKey = 3;
    int numKeys = 1;
    for (int j = 6; j < argv.size(); j++) {
      int more = argv.size() - 1 - j;
      String a = argv.get(j).toLowerCase(Locale.ROOT);
      if (a.equals("copy")) {
        copy = true;
      } else if (a.equals("replace")) {
        replace = true;
      } else if (a.equals("auth")) {
        if (more < 1) return "-ERR syntax error\r\n";
        j++;
      } else if (a.equals("auth2")) {
        if (more < 2) return "-ERR syntax error\r\n";
        j += 2;
      } else if (a.equals("keys")) {
        if (!argv.get(3).isEmpty()) {
          return "-ERR When using MIGRATE KEYS option, the key argument must be set to the empty string\r\n";
        }
        firstKey = j + 1;
        numKeys = argv.size() - j - 1;
        break;
      } else {
        return "-ERR syntax error\r\n";
      }
    }
    Long timeout = Numbers.parseLong(argv.get(5));
    Long db = Numbers.parseLong(argv.get(4));
    if (timeout == null || db == null) return "-" + SlotCommands.NOT_INTEGER + "\r\n";
    Long port = Numbers.parseLong(argv.get(2));
    List<String> keys = new ArrayList<>();
    for (String k : argv.subList(firstKey, firstKey + numKeys)) if (exists.test(k)) keys.add(k);
    if (keys.isEmpty()) return "+NOKEY\r\n";
    out[0] = new Spec(argv.get(1), port == null ? 0 : (int) (long) port, db, timeout <= 0 ? 1000 : timeout, copy, replace, keys);
    return null;
  }

  Spec spec() {
    return spec;
  }

  String client() {
    return client;
  }

  long clientRequestId() {
    return clientRequestId;
  }

  /** One RESTORE-ASKING sent as request {@code id}. */
  void sent(long id, String key) {
    awaiting.put(id, key);
  }

  boolean awaits(long id) {
    return awaiting.containsKey(id);
  }

  /** A reply line from the target; true when every RESTORE has been answered. */
  boolean onReply(long id, String resp) {
    String key = awaiting.remove(id);
    if (key == null) return awaiting.isEmpty();
    if (resp.startsWith("-")) {
      if (targetError == null) targetError = resp.substring(1).trim();
    } else if (!spec.copy) {
      acknowledged.add(key);
    }
    return awaiting.isEmpty();
  }

  /** All answered, or the timeout struck first (the socket error: "-IOERR error or timeout reading to target instance"). */
  Outcome finish(boolean timedOut) {
    String reply;
    if (targetError != null) reply = "-ERR Target instance replied with error: " + targetError + "\r\n";
    else if (timedOut) reply = "-IOERR error or timeout reading to target instance\r\n";
    else reply = "+OK\r\n";
    return new Outcome(List.copyOf(acknowledged), reply);
  }
}
