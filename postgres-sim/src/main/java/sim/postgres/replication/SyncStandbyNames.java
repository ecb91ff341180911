package sim.postgres.replication;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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

  /**
   * Parses the setting as syncrep_scanner.l and syncrep_gram.y do; an empty one is null (no synchronous
   * replication; blanks alone are a syntax error). Grammar: {@code standby_list | NUM '(' standby_list ')' | ANY NUM '(' standby_list ')'
   * | FIRST NUM '(' standby_list ')'}, a standby name being an identifier, a double-quoted identifier
   * ({@code ""} for a quote), a number or {@code *}. ANY and FIRST are keywords in any case, so neither
   * is a standby name unless quoted. Names keep the case they were written in (matching ignores it).
   */
  public static SyncStandbyNames parse(String text) {
    if (text == null || text.isEmpty()) return null; // check_synchronous_standby_names parses only a non-empty value
    List<String[]> tokens = SyncRepScanner.scan(text);
    if (tokens.isEmpty()) throw syntax(text);
    int[] at = {0};
    Method method = Method.FIRST;
    int numSync = 1;
    String first = tokens.get(0)[0];
    boolean parenthesised = first.equals("ANY") || first.equals("FIRST")
        || (first.equals("NUM") && tokens.size() > 1 && tokens.get(1)[0].equals("("));
    if (parenthesised) {
      if (!first.equals("NUM")) {
        method = first.equals("ANY") ? Method.ANY : Method.FIRST;
        at[0]++;
      }
      numSync = Integer.parseInt(expect(tokens, at, "NUM", text));
      expect(tokens, at, "(", text);
    }
    List<String> names = new ArrayList<>();
    names.add(name(tokens, at, text));
    while (at[0] < tokens.size() && tokens.get(at[0])[0].equals(",")) {
      at[0]++;
      names.add(name(tokens, at, text));
    }
    if (parenthesised) expect(tokens, at, ")", text);
    if (at[0] != tokens.size()) throw syntax(text);
    return new SyncStandbyNames(method, numSync, names);
  }

  private static String name(List<String[]> tokens, int[] at, String text) {
    String kind = at[0] < tokens.size() ? tokens.get(at[0])[0] : "";
    if (!kind.equals("NAME") && !kind.equals("NUM")) throw syntax(text);
    return tokens.get(at[0]++)[1];
  }

  private static String expect(List<String[]> tokens, int[] at, String kind, String text) {
    if (at[0] >= tokens.size() || !tokens.get(at[0])[0].equals(kind)) throw syntax(text);
    return tokens.get(at[0]++)[1];
  }

  static IllegalArgumentException syntax(String text) {
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
