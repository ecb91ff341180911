package sim.kafka.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import sim.kafka.broker.TopicPartition;
import sim.kafka.group.AssignorAgreementProperties;

/** ./sim kafka assign prints what kafka-clients' assignor of that name decides, in the promised JSON shape. */
class AssignCommandTest {
  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new KafkaCommand().run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out), new PrintStream(err));
    return new Result(code, out.toString(), err.toString());
  }

  /** The same group through kafka-clients, built the way the command promises: owners of the previous generation, new members. */
  static String kafka(String assignor, Map<String, Integer> topics, Map<String, List<String>> members, Map<String, List<TopicPartition>> owned,
      Map<String, Integer> generations) {
    Map<String, ConsumerPartitionAssignor.Subscription> subs = new HashMap<>();
    for (var e : new TreeMap<>(members).entrySet()) {
      boolean previous = owned.containsKey(e.getKey());
      List<TopicPartition> mine = previous ? AssignCommand.groupedByTopic(owned.get(e.getKey())) : List.of();
      int gen = previous ? generations.getOrDefault(e.getKey(), 1) : -1;
      List<org.apache.kafka.common.TopicPartition> ktps = new ArrayList<>();
      for (TopicPartition tp : mine) ktps.add(new org.apache.kafka.common.TopicPartition(tp.topic(), tp.partition()));
      boolean eager = assignor.equals("sticky");
      ByteBuffer userData = eager && previous ? AssignorAgreementProperties.stickyUserData(mine, gen) : null;
      subs.put(e.getKey(), new ConsumerPartitionAssignor.Subscription(e.getValue(), userData, eager ? List.of() : ktps, gen, Optional.empty()));
    }
    Map<String, List<org.apache.kafka.common.TopicPartition>> result = switch (assignor) {
      case "range" -> new org.apache.kafka.clients.consumer.RangeAssignor().assign(new HashMap<>(topics), subs);
      case "roundrobin" -> new org.apache.kafka.clients.consumer.RoundRobinAssignor().assign(new HashMap<>(topics), subs);
      case "sticky" -> new org.apache.kafka.clients.consumer.StickyAssignor().assign(new HashMap<>(topics), subs);
      default -> new org.apache.kafka.clients.consumer.CooperativeStickyAssignor().assignPartitions(
          org.apache.kafka.clients.consumer.internals.AbstractPartitionAssignorAccess.withoutRacks(new HashMap<>(topics)), subs);
    };
    StringBuilder b = new StringBuilder("{");
    int i = 0;
    for (var e : new TreeMap<>(result).entrySet()) {
      List<org.apache.kafka.common.TopicPartition> tps = new ArrayList<>(e.getValue());
      tps.sort((x, y) -> x.topic().equals(y.topic()) ? Integer.compare(x.partition(), y.partition()) : x.topic().compareTo(y.topic()));
      b.append(i++ == 0 ? "" : ", ").append('"').append(e.getKey()).append("\": [");
      for (int k = 0; k < tps.size(); k++) b.append(k == 0 ? "" : ", ").append('"').append(tps.get(k)).append('"');
      b.append(']');
    }
    return b.append("}\n").toString();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "range|t1:3,t2:2|m1=t1,t2;m2=t1||",
      "roundrobin|t1:3,t2:2|m1=t1,t2;m2=t1||",
      "sticky|t1:3,t2:2|m1=t1,t2;m2=t1;m3=t1,t2|m1=t1-0,t1-1,t2-0;m2=|m1=5;m2=4",
      "cooperative-sticky|t1:3,t2:2|m1=t1,t2;m2=t1|m1=t1-0,t1-1;m2=|",
      "cooperative-sticky|t1:4|m1=t1;m2=t1;m3=t1|m1=t1-0,t1-1,t1-2,t1-3|7",
      "sticky|a:2,b:5|m1=a,b;m2=b;m3=a,gone|m1=a-0,b-0,b-1,b-2;m2=b-3,b-4|3"})
  void printsWhatKafkaClientsDecides(String assignor, String topics, String members, String owned, String generation) {
    List<String> args = new ArrayList<>(List.of("assign", "--assignor", assignor, "--topics", topics, "--members", members, "--json"));
    if (owned != null) args.addAll(List.of("--owned", owned));
    if (generation != null) args.addAll(List.of("--generation", generation));
    Result r = run(args.toArray(String[]::new));
    assertEquals(0, r.code(), r.err());
    Map<String, Integer> t = new HashMap<>();
    for (String s : topics.split(",")) t.put(s.split(":")[0], Integer.parseInt(s.split(":")[1]));
    Map<String, List<String>> m = new HashMap<>();
    for (String s : members.split(";")) m.put(s.split("=")[0], List.of(s.split("=")[1].split(",")));
    Map<String, List<TopicPartition>> o = new HashMap<>();
    if (owned != null) {
      for (String s : owned.split(";")) {
        List<TopicPartition> tps = new ArrayList<>();
        String[] parts = s.split("=", -1);
        if (!parts[1].isEmpty()) for (String tp : parts[1].split(",")) tps.add(new TopicPartition(tp.substring(0, tp.lastIndexOf('-')), Integer.parseInt(tp.substring(tp.lastIndexOf('-') + 1))));
        o.put(parts[0], tps);
      }
    }
    Map<String, Integer> g = new HashMap<>();
    if (generation != null) {
      if (generation.matches("\\d+")) o.keySet().forEach(k -> g.put(k, Integer.parseInt(generation)));
      else for (String s : generation.split(";")) g.put(s.split("=")[0], Integer.parseInt(s.split("=")[1]));
    }
    assertEquals(kafka(assignor, t, m, o, g), r.out());
  }

  @Test
  void everyMemberIsPresentAndASubscribedTopicTheMetadataLacksGetsNothing() {
    Result r = run("assign", "--assignor", "range", "--topics", "t1:1", "--members", "m2=t1;m1=nope", "--json");
    assertEquals("{\"m1\": [], \"m2\": [\"t1-0\"]}\n", r.out());
  }

  @Test
  void badInputSaysWhatAndWhere() {
    Result r = run("assign", "--assignor", "sticky", "--topics", "t1:3", "--members", "m1=t1", "--owned", "m1=t1-7");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--owned item 1") && r.err().contains("t1 has 3 partitions"), r.err());
    Result g = run("assign", "--assignor", "sticky", "--topics", "t1:3", "--members", "m1=t1;m2=t1", "--owned", "m1=", "--generation", "m2=3");
    assertEquals(2, g.code());
    assertTrue(g.err().contains("a new member has no generation"), g.err());
    Result a = run("assign", "--assignor", "fair", "--topics", "t1:3", "--members", "m1=t1");
    assertEquals(2, a.code());
    assertTrue(a.err().contains("unknown assignor 'fair'"), a.err());
    assertEquals(2, run("assign", "--topics", "t1:3", "--members", "m1=t1").code(), "--assignor is required");
  }

  /** --protocol consumer runs kafka-group-coordinator's server-side assignor on the members' current target assignment. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "uniform|t1:6|m1=t1;m2=t1;m3=t1|m1=t1-0,t1-1,t1-2;m2=t1-3,t1-4,t1-5|{\"m1\": [\"t1-0\", \"t1-1\"], \"m2\": [\"t1-3\", \"t1-4\"], \"m3\": [\"t1-2\", \"t1-5\"]}",
      "uniform|t1:3,t2:2|m1=t1,t2;m2=t1,t2||{\"m1\": [\"t1-0\", \"t1-1\"], \"m2\": [\"t1-2\", \"t2-0\", \"t2-1\"]}",
      "range|t1:3,t2:2|m1=t1,t2;m2=t1|m2=t1-0|{\"m1\": [\"t1-0\", \"t1-1\", \"t2-0\", \"t2-1\"], \"m2\": [\"t1-2\"]}"})
  void consumerProtocolPrintsWhatKafkasCoordinatorDecides(String assignor, String topics, String members, String owned, String expected) {
    List<String> args = new ArrayList<>(List.of("assign", "--protocol", "consumer", "--assignor", assignor, "--topics", topics, "--members", members, "--json"));
    if (owned != null) args.addAll(List.of("--owned", owned));
    Result r = run(args.toArray(String[]::new));
    assertEquals(0, r.code(), r.err());
    assertEquals(expected + "\n", r.out());
    assertEquals(sim.kafka.group.assignor.ServerAssignorAgreementProperties.kafkaJson(assignor, topics, members, owned), r.out());
  }

  @Test
  void consumerProtocolRefusesWhatItCannotBe() {
    Result g = run("assign", "--protocol", "consumer", "--assignor", "uniform", "--topics", "t1:3", "--members", "m1=t1", "--generation", "2");
    assertEquals(2, g.code());
    assertTrue(g.err().contains("member epochs"), g.err());
    Result twice = run("assign", "--protocol", "consumer", "--assignor", "uniform", "--topics", "t1:3", "--members", "m1=t1;m2=t1", "--owned", "m1=t1-0;m2=t1-0");
    assertEquals(2, twice.code());
    assertTrue(twice.err().contains("two members"), twice.err());
    Result sticky = run("assign", "--protocol", "consumer", "--assignor", "sticky", "--topics", "t1:3", "--members", "m1=t1");
    assertTrue(sticky.code() == 2 && sticky.err().contains("uniform, range"), sticky.err());
    assertEquals(2, run("assign", "--protocol", "eager", "--assignor", "range", "--topics", "t1:3", "--members", "m1=t1").code());
  }
}
