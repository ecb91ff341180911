package sim.lab.server;

/** A request the lab refuses, with the HTTP status to answer and a message that says what is wrong. */
final class LabError extends RuntimeException {
  final int status;

  LabError(int status, String message) {
    super(message);
    this.status = status;
  }

  static LabError bad(String message) {
    return new LabError(400, message);
  }

  static LabError notFound(String message) {
    return new LabError(404, message);
  }
}
