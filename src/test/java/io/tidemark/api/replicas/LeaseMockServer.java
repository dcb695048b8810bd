package io.tidemark.api.replicas;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * fabric8's mock API server in CRUD mode for the service under test: its Leases are where the
 * replicas meet. The service connects as {@code kubectl} would, so the server is named through
 * fabric8's system properties, which are put back as they were when the test class ends.
 */
public final class LeaseMockServer implements QuarkusTestResourceLifecycleManager {

  private static volatile KubernetesMockServer server;
  private final Map<String, String> previous = new HashMap<>();

  @Override
  public Map<String, String> start() {
    server =
        new KubernetesMockServer(
            new io.fabric8.mockwebserver.Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
    set("kubernetes.master", "http://localhost:" + server.getPort() + "/");
    set("kubernetes.auth.tryKubeConfig", "false");
    set("kubernetes.auth.tryServiceAccount", "false");
    set("kubernetes.trust.certificates", "true");
    return Map.of();
  }

  private void set(String key, String value) {
    previous.put(key, System.getProperty(key));
    System.setProperty(key, value);
  }

  /** A client of the same server, for the second replica and the test's own looks. */
  static KubernetesClient client() {
    return server.createClient();
  }

  @Override
  public void stop() {
    previous.forEach(
        (key, value) -> {
          if (value == null) {
            System.clearProperty(key);
          } else {
            System.setProperty(key, value);
          }
        });
    if (server != null) {
      server.destroy();
    }
  }
}
