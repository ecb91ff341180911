package sim.kafka.tool;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sim.kafka.broker.TopicPartition;
import sim.kafka.group.PartitionAssignor;
import sim.kafka.group.StickyAssignor;
import sim.kafka.group.Subscription;
import sim.kafka.group.assignor.ConsumerGroupPartitionAssignor;
import sim.kafka.tool.KafkaCommand.BadInput;

/**
 * {@code ./sim kafka assign --assignor NAME --topics t1:3,t2:2 --members 'm1=t1,t2;m2=t1' [--owned ...]
 * [--generation ...] [--json]}: what a group leader's assignor decides, the same as kafka-clients' class of
 * that name. A member in {@code --owned} (even as {@code m2=}) was in the previous generation; one not listed
 * is new. The sticky assignor takes previous ownership from its user data, as a real eager consumer sends it.
 */
@Command(name = "assign", mixinStandardHelpOptions = true,
    description = {"Run a consumer-group assignor (range, roundrobin, sticky, cooperative-sticky) as the group leader would,",
        "or with --protocol consumer a server-side one (uniform, range) as the KIP-848 group coordinator would.",
        "Prints member -> partitions, sorted by topic then partition, every member present, members sorted."})
final class AssignCommand implements Callable<Integer> {
  @Option(names = "--assignor", required = true, paramLabel = "NAME",
      description = "range, roundrobin, sticky or cooperative-sticky; with --protocol consumer: uniform or range.")
  String assignor;

  @Option(names = "--protocol", paramLabel = "classic|consumer", defaultValue = "classic",
      description = "group.protocol: classic (the leader's client-side assignor, default) or consumer (KIP-848's server-side assignor;"
          + " --owned is then each member's current target assignment).")
  String protocol;

  @Option(names = "--topics", required = true, paramLabel = "T:N,...", description = "Topics and partition counts: t1:3,t2:2.")
  String topics;

  @Option(names = "--members", required = true, paramLabel = "M=T,...;...", description = "Members and their subscriptions: 'm1=t1,t2;m2=t1'.")
  String members;

  @Option(names = "--owned", paramLabel = "M=TP,...;...", description = "Previous generation's owners: 'm1=t1-0,t1-1;m2=' (m2 owned nothing).")
  String owned;

  @Option(names = "--generation", paramLabel = "N|M=N;...", description = "Generation of the previous owners: one number for all, or 'm1=5;m2=4' (default 1).")
  String generation;

  @Option(names = "--json", description = "Print a JSON object: member -> [\"topic-partition\", ...].")
  boolean json;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (protocol.equals("consumer")) return callConsumerProtocol();
    if (!protocol.equals("classic")) throw new BadInput("--protocol: '" + protocol + "' is neither classic nor consumer");
    PartitionAssignor a;
    try {
      a = PartitionAssignor.named(assignor);
    } catch (IllegalArgumentException e) {
      throw new BadInput("--assignor: " + e.getMessage());
    }
    Map<String, Integer> counts = parseTopics();
    TreeMap<String, List<String>> subscriptions = parseMembers();
    TreeMap<String, List<TopicPartition>> previous = parseOwned(subscriptions, counts);
    Map<String, Integer> generations = parseGenerations(subscriptions, previous);
    Map<String, Subscription> input = new HashMap<>();
    for (Map.Entry<String, List<String>> e : subscriptions.entrySet()) {
      String m = e.getKey();
      boolean wasMember = previous.containsKey(m);
      List<TopicPartition> mine = wasMember ? previous.get(m) : List.of();
      Optional<Integer> gen = wasMember ? Optional.of(generations.get(m)) : Optional.empty();
      boolean eager = a instanceof StickyAssignor;
      input.put(m, new Subscription(e.getValue(), eager ? List.of() : mine, gen, Optional.empty(),
          eager && wasMember ? Optional.of(new Subscription.StickyUserData(mine, gen)) : Optional.empty()));
    }
    Map<String, List<TopicPartition>> result;
    try {
      result = a.assign(counts, input);
    } catch (RuntimeException e) {
      throw new BadInput("the " + assignor + " assignor cannot assign this group (kafka-clients fails on it too): " + e);
    }
    print(result, subscriptions.keySet());
    return 0;
  }

  /** KIP-848: the coordinator's assignor over the members' subscriptions and current target assignment. */
  private Integer callConsumerProtocol() {
    ConsumerGroupPartitionAssignor a;
    try {
      a = ConsumerGroupPartitionAssignor.named(assignor);
    } catch (IllegalArgumentException e) {
      throw new BadInput("--assignor: " + e.getMessage());
    }
    if (generation != null) throw new BadInput("--generation: the consumer protocol has member epochs, not generations; leave it out");
    Map<String, Integer> counts = parseTopics();
    TreeMap<String, List<String>> subscriptions = parseMembers();
    TreeMap<String, List<TopicPartition>> current = parseOwned(subscriptions, counts);
    TreeMap<String, ConsumerGroupPartitionAssignor.MemberSpec> members = new TreeMap<>();
    java.util.Set<TopicPartition> seen = new java.util.HashSet<>();
    for (Map.Entry<String, List<String>> e : subscriptions.entrySet()) {
      TreeMap<String, java.util.SortedSet<Integer>> mine = new TreeMap<>();
      for (TopicPartition tp : current.getOrDefault(e.getKey(), List.of())) {
        if (!counts.containsKey(tp.topic())) throw new BadInput("--owned: " + tp + " is not in --topics (a target assignment holds existing partitions)");
        if (!seen.add(tp)) throw new BadInput("--owned: " + tp + " is listed for two members (a target assignment gives each partition to one member)");
        mine.computeIfAbsent(tp.topic(), k -> new java.util.TreeSet<>()).add(tp.partition());
      }
      members.put(e.getKey(), new ConsumerGroupPartitionAssignor.MemberSpec(Optional.empty(), new java.util.TreeSet<>(e.getValue()), mine));
    }
    TreeMap<String, TreeMap<String, java.util.TreeSet<Integer>>> target;
    try {
      target = a.assign(new ConsumerGroupPartitionAssignor.GroupSpec(members, counts));
    } catch (RuntimeException e) {
      throw new BadInput("the " + assignor + " assignor cannot assign this group: " + e.getMessage());
    }
    Map<String, List<TopicPartition>> result = new TreeMap<>();
    target.forEach((m, byTopic) -> {
      List<TopicPartition> tps = new ArrayList<>();
      byTopic.forEach((t, ps) -> ps.forEach(p -> tps.add(new TopicPartition(t, p))));
      result.put(m, tps);
    });
    print(result, subscriptions.keySet());
    return 0;
  }

  private void print(Map<String, List<TopicPartition>> result, java.util.Set<String> memberIds) {
    PrintWriter out = spec.commandLine().getOut();
    TreeMap<String, List<String>> sorted = new TreeMap<>();
    for (String m : memberIds) {
      List<TopicPartition> tps = new ArrayList<>(result.getOrDefault(m, List.of()));
      tps.sort((x, y) -> x.topic().equals(y.topic()) ? Integer.compare(x.partition(), y.partition()) : x.topic().compareTo(y.topic()));
      sorted.put(m, tps.stream().map(TopicPartition::toString).toList());
    }
    if (!json) {
      sorted.forEach((m, tps) -> out.println(m + ": " + (tps.isEmpty() ? "(nothing)" : String.join(", ", tps))));
      return;
    }
    StringBuilder b = new StringBuilder("{");
    int i = 0;
    for (Map.Entry<String, List<String>> e : sorted.entrySet()) {
      if (i++ > 0) b.append(", ");
      b.append(quote(e.getKey())).append(": [");
      for (int k = 0; k < e.getValue().size(); k++) b.append(k == 0 ? "" : ", ").append(quote(e.getValue().get(k)));
      b.append(']');
    }
    out.println(b.append('}'));
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }

  private Map<String, Integer> parseTopics() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    String[] items = topics.split(",", -1);
    for (int i = 0; i < items.length; i++) {
      String item = items[i].strip();
      int colon = item.lastIndexOf(':');
      if (colon <= 0) throw bad("--topics", i, item, "expected TOPIC:PARTITIONS, like t1:3");
      int n;
      try {
        n = Integer.parseInt(item.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw bad("--topics", i, item, "the partition count '" + item.substring(colon + 1) + "' is not a number");
      }
      if (n < 0 || n > 100_000) throw bad("--topics", i, item, "a topic has 0 to 100000 partitions");
      if (counts.put(item.substring(0, colon), n) != null) throw bad("--topics", i, item, "topic listed twice");
    }
    return new HashMap<>(counts);
  }

  private TreeMap<String, List<String>> parseMembers() {
    TreeMap<String, List<String>> out = new TreeMap<>();
    String[] items = members.split(";", -1);
    for (int i = 0; i < items.length; i++) {
      String item = items[i].strip();
      int eq = item.indexOf('=');
      if (eq <= 0) throw bad("--members", i, item, "expected MEMBER=TOPIC,..., like m1=t1,t2");
      List<String> subscribed = new ArrayList<>();
      for (String t : item.substring(eq + 1).split(",")) if (!t.isBlank()) subscribed.add(t.strip());
      if (subscribed.isEmpty()) throw bad("--members", i, item, "a member subscribes to at least one topic");
      if (out.put(item.substring(0, eq).strip(), subscribed) != null) throw bad("--members", i, item, "member listed twice");
    }
    return out;
  }

  private TreeMap<String, List<TopicPartition>> parseOwned(Map<String, List<String>> subscriptions, Map<String, Integer> counts) {
    TreeMap<String, List<TopicPartition>> out = new TreeMap<>();
    if (owned == null) return out;
    String[] items = owned.split(";", -1);
    for (int i = 0; i < items.length; i++) {
      String item = items[i].strip();
      if (item.isEmpty()) continue;
      int eq = item.indexOf('=');
      if (eq <= 0) throw bad("--owned", i, item, "expected MEMBER=TOPIC-PARTITION,..., like m1=t1-0,t1-1 (or m2= for nothing)");
      String m = item.substring(0, eq).strip();
      if (!subscriptions.containsKey(m)) throw bad("--owned", i, item, "'" + m + "' is not in --members");
      List<TopicPartition> tps = new ArrayList<>();
      for (String s : item.substring(eq + 1).split(",")) {
        if (s.isBlank()) continue;
        TopicPartition tp = topicPartition(s.strip(), i, item);
        Integer count = counts.get(tp.topic());
        if (count != null && tp.partition() >= count) throw bad("--owned", i, item, tp + " does not exist: " + tp.topic() + " has " + count + " partitions");
        tps.add(tp);
      }
      if (out.put(m, groupedByTopic(tps)) != null) throw bad("--owned", i, item, "member listed twice");
    }
    return out;
  }

  /** As a consumer sends its assignment: grouped by topic (kafka-clients' {@code groupPartitionsByTopic}, hash-ordered). */
  static List<TopicPartition> groupedByTopic(List<TopicPartition> tps) {
    Map<String, List<TopicPartition>> byTopic = new HashMap<>();
    for (TopicPartition tp : tps) byTopic.computeIfAbsent(tp.topic(), k -> new ArrayList<>()).add(tp);
    List<TopicPartition> out = new ArrayList<>();
    byTopic.values().forEach(out::addAll);
    return out;
  }

  private static TopicPartition topicPartition(String s, int i, String item) {
    int dash = s.lastIndexOf('-');
    if (dash <= 0) throw bad("--owned", i, item, "'" + s + "' is not TOPIC-PARTITION, like t1-0");
    try {
      int p = Integer.parseInt(s.substring(dash + 1));
      if (p < 0) throw new NumberFormatException();
      return new TopicPartition(s.substring(0, dash), p);
    } catch (NumberFormatException e) {
      throw bad("--owned", i, item, "'" + s + "' does not end in a partition number");
    }
  }

  private Map<String, Integer> parseGenerations(Map<String, List<String>> subscriptions, Map<String, List<TopicPartition>> previous) {
    Map<String, Integer> out = new TreeMap<>();
    for (String m : previous.keySet()) out.put(m, 1);
    if (generation == null) return out;
    String g = generation.strip();
    if (g.matches("-?\\d+")) {
      int n = number("--generation", 0, g, g);
      for (String m : previous.keySet()) out.put(m, n);
      return out;
    }
    String[] items = g.split(";", -1);
    for (int i = 0; i < items.length; i++) {
      String item = items[i].strip();
      int eq = item.indexOf('=');
      if (eq <= 0) throw bad("--generation", i, item, "expected a number, or MEMBER=N;... like m1=5;m2=4");
      String m = item.substring(0, eq).strip();
      if (!subscriptions.containsKey(m)) throw bad("--generation", i, item, "'" + m + "' is not in --members");
      if (!previous.containsKey(m)) throw bad("--generation", i, item, "'" + m + "' is not in --owned: a new member has no generation");
      out.put(m, number("--generation", i, item, item.substring(eq + 1).strip()));
    }
    return out;
  }

  private static int number(String option, int i, String item, String text) {
    try {
      int n = Integer.parseInt(text);
      if (n < 0) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw bad(option, i, item, "'" + text + "' is not a generation (a number >= 0)");
    }
  }

  private static BadInput bad(String option, int index, String item, String why) {
    return new BadInput(option + " item " + (index + 1) + " '" + item + "': " + why);
  }
}
