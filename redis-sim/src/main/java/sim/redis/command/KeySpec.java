package sim.redis.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import sim.redis.resp.Numbers;

/**
 * A key spec (7.0 commands/*.json): where the keys of a command are. begin_search is an index or a keyword;
 * find_keys is a range (lastkey relative to the first key, a step, a limit) or a keynum (a count argument,
 * then the keys). {@link #keyPositions} is getKeysUsingKeySpecs.
 */
public record KeySpec(Set<String> flags, int indexPos, String keyword, int keywordStartFrom, boolean range, int lastKey,
    int keyStep, int limit, int keyNumIdx, int firstKey) {

  static KeySpec parse(JsonNode spec) {
    Set<String> flags = new LinkedHashSet<>();
    spec.path("flags").forEach(f -> flags.add(f.asText()));
    JsonNode bs = spec.path("begin_search");
    int pos = bs.path("index").path("pos").asInt(0);
    String keyword = bs.has("keyword") ? bs.path("keyword").path("keyword").asText() : null;
    int startFrom = bs.path("keyword").path("startfrom").asInt(0);
    JsonNode fk = spec.path("find_keys");
    boolean range = fk.has("range");
    JsonNode r = fk.path("range");
    JsonNode k = fk.path("keynum");
    return new KeySpec(java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(flags)), pos, keyword, startFrom, range, r.path("lastkey").asInt(0), range
        ? r.path("step").asInt(1) : k.path("step").asInt(1), r.path("limit").asInt(0), k.path("keynumidx").asInt(0),
        k.path("firstkey").asInt(0));
  }

  /** getKeysUsingKeySpecs: key argument positions of {@code argv} by every spec, or null when the arguments do not fit. */
  public static List<Integer> keyPositions(List<KeySpec> specs, List<String> argv, int arity) {
    List<Integer> out = new ArrayList<>();
    int argc = argv.size();
    for (KeySpec s : specs) {
      if (s.flags().contains("NOT_KEY")) continue;
      int first = 0;
      if (s.keyword() == null) {
        first = s.indexPos();
      } else {
        int start = s.keywordStartFrom() > 0 ? s.keywordStartFrom() : argc + s.keywordStartFrom();
        int end = s.keywordStartFrom() > 0 ? argc - 1 : 1;
        for (int i = start; i != end; i = start <= end ? i + 1 : i - 1) {
          if (i >= argc || i < 1) break;
          if (argv.get(i).equalsIgnoreCase(s.keyword())) {
            first = i + 1;
            break;
          }
        }
        if (first == 0) continue;
      }
      int last;
      int step = s.keyStep();
      if (s.range()) {
        if (s.lastKey() >= 0) last = first + s.lastKey();
        else if (s.limit() == 0) last = argc + s.lastKey();
        else last = first + ((argc - first) / s.limit() + s.lastKey());
      } else {
        if (first + s.keyNumIdx() >= argc) return null;
        Long n = Numbers.parseLong(argv.get(first + s.keyNumIdx()));
        if (n == null || n < 0) return null;
        first += s.firstKey();
        last = first + (int) (long) n - 1;
      }
      if (last >= argc || last < first || first >= argc) return null;
      for (int i = first; i <= last; i += step) {
        if (i >= argc || i < first) continue;
        out.add(i);
      }
      if (s.flags().contains("INCOMPLETE")) return null;
    }
    return out;
  }
}
