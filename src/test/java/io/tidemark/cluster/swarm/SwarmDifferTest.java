package io.tidemark.cluster.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.model.DesiredObject;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.LiveObject;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.Ownership;
import io.tidemark.model.SourceLocation;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SwarmDiffer on literal specs: engine defaults are not drift, real changes are. */
class SwarmDifferTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectKey KEY = ObjectKey.of("Service", "s_t1");

  /** What the CLI sends for a service with only image and command. */
  private static final String SENT =
      """
      {"Name":"t1","Labels":{"io.tidemark/target":"t","io.tidemark/commit":"c1"},
       "TaskTemplate":{"ContainerSpec":{"Image":"tidemark-test/busybox:1","Args":["sleep","100"],
         "Env":["B=2","A=1"],
         "Privileges":{"CredentialSpec":null,"SELinuxContext":null,"NoNewPrivileges":false}},
        "Resources":{},"Placement":{},"ForceUpdate":0},
       "Mode":{"Replicated":{}},"EndpointSpec":{}}
      """;

  /** What the 20.10 engine returns for it, defaults inserted. */
  private static final String RETURNED =
      """
      {"Name":"t1","Labels":{"io.tidemark/target":"t","io.tidemark/commit":"c2"},
       "TaskTemplate":{"ContainerSpec":{"Image":"tidemark-test/busybox:1","Args":["sleep","100"],
         "Env":["A=1","B=2"],"Init":false,"StopGracePeriod":10000000000,"DNSConfig":{},
         "Isolation":"default"},
        "Resources":{"Limits":{},"Reservations":{}},
        "RestartPolicy":{"Condition":"any","Delay":5000000000,"MaxAttempts":0},
        "Placement":{},"ForceUpdate":3,"Runtime":"container"},
       "Mode":{"Replicated":{"Replicas":1}},
       "UpdateConfig":{"Parallelism":1,"FailureAction":"pause","Monitor":5000000000,
         "MaxFailureRatio":0,"Order":"stop-first"},
       "RollbackConfig":{"Parallelism":1,"FailureAction":"pause","Monitor":5000000000,
         "MaxFailureRatio":0,"Order":"stop-first"},
       "EndpointSpec":{"Mode":"vip"}}
      """;

  private static Map<String, Object> tree(String json) throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object> tree = JSON.readValue(json, Map.class);
    return tree;
  }

  private static java.util.List<FieldDiff> compare(String desired, String live) throws Exception {
    return new SwarmDiffer()
        .compare(
            new DesiredObject(KEY, tree(desired), new SourceLocation("f.yml", 1), false),
            new LiveObject(KEY, tree(live), Map.of(), "1", Ownership.OWNED));
  }

  @Test
  void engineDefaultsCommitLabelAndForceUpdateAreNotDrift() throws Exception {
    assertThat(compare(SENT, RETURNED)).isEmpty();
  }

  @Test
  void aChangedDefaultIsDrift() throws Exception {
    String live = RETURNED.replaceFirst("stop-first", "start-first");
    assertThat(compare(SENT, live))
        .containsExactly(new FieldDiff("UpdateConfig.Order", "stop-first", "start-first"));
  }

  @Test
  void aRemovedVariableIsNamedWithItsValue() throws Exception {
    String live = RETURNED.replace("\"Env\":[\"A=1\",\"B=2\"]", "\"Env\":[]");
    assertThat(compare(SENT, live))
        .containsExactly(
            new FieldDiff("TaskTemplate.ContainerSpec.Env.A", "1", null),
            new FieldDiff("TaskTemplate.ContainerSpec.Env.B", "2", null));
  }

  @Test
  void aChangedOwnershipLabelIsDrift() throws Exception {
    String live =
        RETURNED.replace("\"io.tidemark/target\":\"t\"", "\"io.tidemark/target\":\"other\"");
    assertThat(compare(SENT, live))
        .containsExactly(new FieldDiff("Labels[\"io.tidemark/target\"]", "t", "other"));
  }

  @Test
  void secretsCompareByNameAndLabelsOnly() throws Exception {
    ObjectKey key = ObjectKey.of("Secret", "s_pw-0123456789");
    DesiredObject desired =
        new DesiredObject(
            key,
            Map.of("Name", "s_pw-0123456789", "Labels", Map.of("a", "b"), "Data", "c2VjcmV0"),
            new SourceLocation("f.yml", 1),
            true);
    LiveObject live =
        new LiveObject(
            key,
            Map.of("Name", "s_pw-0123456789", "Labels", Map.of("a", "b")),
            Map.of(),
            "1",
            Ownership.OWNED);
    assertThat(new SwarmDiffer().compare(desired, live)).isEmpty();
  }

  @Test
  void networksIgnoreTheVxlanIdAndAssignedSubnets() throws Exception {
    ObjectKey key = ObjectKey.of("Network", "s_default");
    DesiredObject desired =
        new DesiredObject(
            key,
            tree(
                """
                {"Name":"s_default","CheckDuplicate":true,"Driver":"overlay","Scope":"","IPAM":null,
                 "Internal":false,"Attachable":false,"Ingress":false,"ConfigOnly":false,
                 "ConfigFrom":null,"Options":null,"Labels":{"com.docker.stack.namespace":"s"}}
                """),
            new SourceLocation("f.yml", 1),
            false);
    Map<String, Object> inspected =
        tree(
            """
            {"Name":"s_default","Id":"x","Scope":"swarm","Driver":"overlay","EnableIPv6":false,
             "IPAM":{"Driver":"default","Options":null,"Config":[{"Subnet":"10.0.1.0/24","Gateway":"10.0.1.1"}]},
             "Internal":false,"Attachable":true,"Ingress":false,"ConfigFrom":{"Network":""},
             "ConfigOnly":false,"Options":{"com.docker.network.driver.overlay.vxlanid_list":"4097"},
             "Labels":{"com.docker.stack.namespace":"s"}}
            """);
    assertThat(
            new SwarmDiffer()
                .compare(desired, new LiveObject(key, inspected, Map.of(), "", Ownership.OWNED)))
        .containsExactly(new FieldDiff("Attachable", null, true));
  }
}
