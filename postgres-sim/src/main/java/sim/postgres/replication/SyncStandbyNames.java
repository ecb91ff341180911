package sim.postgres.replication;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * synchronous_standby_names, parsed as syncrep_gram.y does, and the pure part of syncrep.c: which
 * standbys are synchronous and up to which LSN their replies release waiting commits.
 * <ul>
 *   <li>{@code FIRST n (s1, s2, ...)}: priority order; the first n streaming standbys of the list are
 *       synchronous, and a commit waits for the oldest position among them (SyncRepGetOldestSyncRecPtr).
 *   <li>{@code ANY n (s1, s2, ...)}: quorum; any n of the listed standbys, so the n-th newest position
 *       counts (SyncRepGetNthLatestSyncRecPtr).
 *   <li>{@code n (list)} is FIRST n; a bare list {@code s1, s2} is FIRST 1 (the pre-9.6 form).
 *   <li>{@code *} matches any application_name.
 * </ul>
 */
public record SyncStandbyNames(Method method, int numSync, List<String> members) {
  public enum Method { FIRST, ANY }

  /** What a walsender knows of its standby (pg_stat_replication): name, connection order, reported LSNs. */
  public record Standby(String name, int slot, long write, long flush, long apply) {}

  /** The LSNs up to which commits waiting in each mode may go (WalSndCtl->lsn[mode]). */
  public record Released(long write, long flush, long apply) {
    public long forLevel(String level) {
      return switch (level) {
        case "remote_write" -> write;
        case "on" -> flush;
        case "remote_apply" -> apply;
        default -> throw new IllegalArgumentException("no standby wait for synchronous_commit=" + level);
      };
    }
  }

  public SyncStandbyNames {
    members = List.copyOf(members);
    if (numSync < 1) throw new IllegalArgumentException("number of synchronous standbys (" + numSync + ") must be greater than zero");
    if (members.isEmpty()) throw new IllegalArgumentException("synchronous_standby_names lists no standby");
  }

  /** Parses the setting; an empty one is null (no synchronous replication). */
  public static SyncStandbyNames parse(String text) {
    String s = text == null ? "" : text.trim();
    if (s.isEmpty()) return null;
    Method method = Method.FIRST;
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.startsWith("first ") || lower.startsWith("any ")) {
      method = lower.startsWith("any ") ? Method.ANY : Method.FIRST;
      s = s.substring(lower.startsWith("any ") ? 4 : 6).trim();
      if (s.isEmpty() || !Character.isDigit(s.charAt(0))) throw syntax(text);
    }
    int numSync = 1;
    if (!s.isEmpty() && Character.isDigit(s.charAt(0))) {
      int i = 0;
      while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
      numSync = Integer.parseInt(s.substring(0, i));
      s = s.substring(i).trim();
      if (!s.startsWith("(") || !s.endsWith(")")) throw syntax(text);
      s = s.substring(1, s.length() - 1);
    }
    List<String> names = new ArrayList<>();
    for (String part : s.split(",", -1)) {
      String name = part.trim();
      if (name.startsWith("\"") && name.endsWith("\"") && name.length() >= 2) {
        name = name.substring(1, name.length() - 1);
      } else {
        name = name.toLowerCase(Locale.ROOT);
      }
      if (name.isEmpty() || name.contains(" ")) throw syntax(text);
      names.add(name);
    }
    return new SyncStandbyNames(method, numSync, names);
  }

  private static IllegalArgumentException syntax(String text) {
    return new IllegalArgumentException("invalid value for parameter \"synchronous_standby_names\": \"" + text + "\"");
  }

  /** SyncRepGetStandbyPriority: FIRST: the 1-based position of the first matching entry; ANY: 1; 0 if not listed. */
  public int priority(String applicationName) {
    for (int i = 0; i < members.size(); i++) {
      String m = members.get(i);
      if (m.equals("*") || m.equalsIgnoreCase(applicationName)) return method == Method.FIRST ? i + 1 : 1;
    }
    return 0;
  }

  /** The synchronous standbys among the streaming ones (SyncRepGetCandidateStandbys, then the method's pick). */
  public List<Standby> synchronous(List<Standby> streaming) {
    List<Standby> candidates = new ArrayList<>();
    for (Standby s : streaming) if (priority(s.name()) > 0 && s.flush() > 0) candidates.add(s);
    if (method == Method.ANY) return candidates;
    candidates.sort(Comparator.comparingInt((Standby s) -> priority(s.name())).thenComparingInt(Standby::slot));
    return candidates.subList(0, Math.min(numSync, candidates.size()));
  }

  /** SyncRepGetSyncRecPtr: null while fewer than numSync synchronous standbys stream (waiters keep waiting). */
  public Released released(List<Standby> streaming) {
    List<Standby> sync = synchronous(streaming);
    if (sync.size() < numSync) return null;
    if (method == Method.FIRST) {
      long w = Long.MAX_VALUE, f = Long.MAX_VALUE, a = Long.MAX_VALUE;
      for (Standby s : sync) {
        w = Math.min(w, s.write());
        f = Math.min(f, s.flush());
        a = Math.min(a, s.apply());
      }
      return new Released(w, f, a);
    }
    return new Released(nth(sync, Standby::write), nth(sync, Standby::flush), nth(sync, Standby::apply));
  }

  private long nth(List<Standby> sync, java.util.function.ToLongFunction<Standby> pos) {
    long[] v = sync.stream().mapToLong(pos).sorted().toArray();
    return v[v.length - numSync]; // the numSync-th newest
  }

  @Override
  public String toString() {
    return method + " " + numSync + " (" + String.join(", ", members) + ")";
  }
}
