package sim.lab.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import sim.core.scenario.ScenarioRegistry;

/** A lab server on a free port with one session of the kernel's example scenario, and a client for its API. */
final class LabHttp implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  final LabServer server;
  final String session;

  LabHttp() throws IOException, InterruptedException {
    server = LabServer.start(0, ScenarioRegistry.load());
    Reply r = call("POST", "/api/sessions", "{\"scenario\":\"example.register\",\"seed\":7}");
    assertEquals(201, r.status, r.body.toString());
    session = r.body.get("id").asText();
  }

  @Override
  public void close() {
    server.close();
  }

  record Reply(int status, JsonNode body) {
    String error() {
      return body.path("error").asText("");
    }
  }

  Reply call(String method, String path, String body) throws IOException, InterruptedException {
    return call(method, path, body, "application/json");
  }

  Reply call(String method, String path, String body, String type) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (type != null) b.header("Content-Type", type);
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
    return new Reply(r.statusCode(), json);
  }

  String api(String verb) {
    return "/api/sessions/" + session + (verb.isEmpty() ? "" : "/" + verb);
  }

  /** Asserts the status and that the message says {@code names}. */
  void refused(int status, String names, Reply r) {
    assertEquals(status, r.status, "status of " + r.body);
    assertEquals(status, r.body.path("status").asInt(), "the JSON error repeats the status: " + r.body);
    assertTrue(r.error().contains(names), "the message names '" + names + "': " + r.error());
  }

  void stillServing() throws IOException, InterruptedException {
    Reply r = call("GET", api(""), null, null);
    assertEquals(200, r.status, "the server still answers after a bad request: " + r.body);
    assertEquals("example.register", r.body.path("scenario").asText());
  }

  /** Sends raw bytes and returns whatever comes back before the server closes (or nothing). */
  String raw(String request) throws IOException, InterruptedException {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      s.shutdownOutput();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.net.SocketException | java.net.SocketTimeoutException e) {
      return "";
    }
  }

}
