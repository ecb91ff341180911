package sim.lab.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Random bodies (JSON objects of the API's own fields with any values, and plain garbage) to every action. */
class LabServerFuzzTest {
  private static LabHttp lab;

  @BeforeContainer
  static void start() throws Exception {
    lab = new LabHttp();
  }

  @AfterContainer
  static void stop() {
    if (lab != null) lab.close();
  }

  @Provide
  Arbitrary<String> verbs() {
    return Arbitraries.of("step", "play", "pause", "rewind", "action", "plan");
  }

  @Provide
  Arbitrary<String> bodies() {
    Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(12).map(v -> LabHttp.JSON.valueToTree(v).toString()),
        Arbitraries.longs().map(String::valueOf), Arbitraries.doubles().map(String::valueOf),
        Arbitraries.of("null", "true", "[]", "{}", "\"crash primary\"", "\"heal\"", "\"end\"", "\"kind\"", "\"at 1s crash backup\""));
    Arbitrary<String> fields = Arbitraries.of("mode", "count", "kind", "speed", "index", "action", "plan", "seed", "junk");
    Arbitrary<String> object = Arbitraries.maps(fields, values).ofMaxSize(3).map(m -> {
      StringBuilder b = new StringBuilder("{");
      m.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
      return b.append('}').toString();
    });
    return Arbitraries.oneOf(object, Arbitraries.strings().ofMaxLength(20));
  }

  /** Any body to any action answers 2xx or 4xx, never 5xx, and the session still serves afterwards. */
  @Property(tries = 60)
  void anyBodyIsAnsweredWithoutAServerError(@ForAll("verbs") String verb, @ForAll("bodies") String body) throws Exception {
    LabHttp.Reply r = lab.call("POST", lab.api(verb), body);
    assertTrue(r.status() < 500, verb + " " + body + " -> " + r.status() + " " + r.body());
    if (r.status() >= 400) assertTrue(!r.error().isBlank(), "a refusal says why: " + r.body());
    lab.call("POST", lab.api("pause"), null);
    lab.stillServing();
  }
}
