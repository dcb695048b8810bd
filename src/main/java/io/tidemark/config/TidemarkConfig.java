package io.tidemark.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.tidemark.model.Mode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tidemark's whole configuration, under the prefix {@code tidemark.}; every key is also an
 * environment variable.
 */
@ConfigMapping(prefix = "tidemark")
public interface TidemarkConfig {

  /** Where clones, checkouts and the report history live. */
  @WithDefault("./data")
  Path dataDir();

  /** How long a shutdown waits for each target's step in flight (an apply, a health wait). */
  @WithDefault("30s")
  Duration shutdownTimeout();

  /** The Git repository that holds the desired state: the default repository of every target. */
  Git git();

  /**
   * Further repositories, by name, with the keys of {@code tidemark.git}; a target reads one with
   * {@code tidemark.targets.<name>.repo}. Each is fetched once per poll and per push, whatever the
   * number of targets on it.
   */
  Map<String, Git> repos();

  /** Threads that run reconciles, shared by all targets; default: the cores, at least 2. */
  Optional<Integer> workers();

  /** The clusters to reconcile, by name. */
  Map<String, TargetConfig> targets();

  /** The REST API. */
  Api api();

  /** The report history kept under the data directory. */
  History history();

  /** Incoming webhooks, by provider: github, gitlab, gitea, bitbucket, generic. */
  Map<String, Webhook> webhooks();

  /** Leader election among replicas; only the leader reconciles. */
  LeaderElection leaderElection();

  /** Spreading the targets over replicas, one Lease per shard (with leader election on). */
  Sharding sharding();

  /** Outgoing notifications (webhooks), by channel name. */
  Map<String, Notification> notifications();

  /** SOPS files of the repository, decrypted in memory. */
  Sops sops();

  /** Values masked in every report besides Secret data. */
  Mask mask();

  /** Helm charts that releases take from HTTP chart repositories and OCI registries. */
  Helm helm();

  /** Where remote Helm charts come from and how to reach them. */
  interface Helm {

    /** The most one request to a chart repository or registry may take, connect to last byte. */
    @WithDefault("30s")
    Duration timeout();

    /**
     * Credentials by repository URL prefix ({@code tidemark.helm.repositories.<name>.url}); the
     * longest prefix that matches a release's {@code spec.repository} wins.
     */
    Map<String, HelmRepository> repositories();
  }

  /** Credentials and transport of the chart repositories and registries under one URL prefix. */
  interface HelmRepository {

    /** URL prefix: https://charts.example.org, oci://registry.example.org/team. */
    String url();

    /** User name sent with the password (Basic, or to a registry's token service). */
    Optional<String> username();

    /** File holding the password or token. */
    Optional<Path> passwordFile();

    /** Whether an oci:// registry is spoken to over plain HTTP instead of HTTPS. */
    @WithDefault("false")
    boolean plainHttp();
  }

  /** SOPS decryption. */
  interface Sops {

    /**
     * A file of age identities as age-keygen writes them (SOPS_AGE_KEY_FILE and SOPS_AGE_KEY are
     * read too).
     */
    Optional<String> ageKeyFile();
  }

  /** Masking of secret-looking values. */
  interface Mask {

    /** Environment variable names whose values are masked (globs, case-insensitive). */
    @WithDefault("*PASSWORD*,*SECRET*,*TOKEN*,*KEY*,*CREDENTIAL*")
    List<String> names();
  }

  /** The Git repository that holds the desired state. */
  interface Git {

    /**
     * Remote URL (https://, ssh://, git@host:path, file://); no source and no reconcile without it.
     */
    Optional<String> url();

    /** Branch to follow. */
    @WithDefault("main")
    String branch();

    /** Tag to follow instead of the branch. */
    Optional<String> tag();

    /** Commit to pin instead of a branch or tag. */
    Optional<String> commit();

    /** How often every target polls the remote for a new commit (a target may override it). */
    @WithDefault("60s")
    Duration pollInterval();

    /** HTTPS user name. */
    Optional<String> username();

    /** File holding the HTTPS password or token. */
    Optional<Path> passwordFile();

    /** SSH private key file. */
    Optional<Path> sshKeyFile();

    /** SSH known_hosts file; without it, SSH refuses every host key. */
    Optional<Path> knownHostsFile();

    /** Connect and read timeout of one fetch. */
    @WithDefault("30s")
    Duration timeout();

    /** off, or require: only commits signed by a trusted key are used. */
    @WithDefault("off")
    Signatures signatures();

    /** Git's allowed_signers file: the SSH keys trusted to sign commits. */
    Optional<Path> allowedSignersFile();

    /** Armored OpenPGP public keys ({@code gpg --armor --export}) trusted to sign commits. */
    Optional<Path> openpgpKeysFile();
  }

  /** Whether commits must be signed by a trusted key. */
  enum Signatures {
    OFF,
    REQUIRE
  }

  /** One cluster to reconcile. */
  interface TargetConfig {

    /** swarm or kubernetes. */
    TargetKind kind();

    /** Folder of the repository that holds this target's desired state. */
    @WithDefault(".")
    String path();

    /** Name of the repository ({@code tidemark.repos.<name>}); default {@code tidemark.git}. */
    Optional<String> repo();

    /** detect (report only), apply (self-heal) or suspend (nothing runs). */
    @WithDefault("detect")
    Mode mode();

    /** Whether owned objects that left Git are deleted; default true in apply mode. */
    Optional<Boolean> prune();

    /**
     * How often this target is checked for drift; default its repository's poll interval. New
     * commits are seen at the repository's poll interval, whatever this is.
     */
    Optional<Duration> pollInterval();

    /** How long an apply waits for the changed objects to become healthy. */
    @WithDefault("2m")
    Duration healthTimeout();

    /** Docker Engine to talk to (swarm); default DOCKER_HOST, else the local socket. */
    Optional<String> dockerHost();

    /** Swarm stack name; default the target name. */
    Optional<String> stack();

    /** Variables for ${VAR} interpolation of stack files, over the folder's .env file. */
    Map<String, String> variables();

    /** Kubeconfig file (kubernetes); default the usual lookup. */
    Optional<String> kubeconfig();

    /** Kubeconfig context (kubernetes). */
    Optional<String> context();

    /** Namespace for namespaced objects that name none (kubernetes). */
    Optional<String> namespace();

    /**
     * How long an apply waits for a CRD it wrote to be Established before it fails that CRD's
     * custom resources (kubernetes).
     */
    @WithDefault("60s")
    Duration crdEstablishedTimeout();

    /**
     * Field managers counted as controllers (kubernetes; globs, {@code *} any characters): fields
     * they write to an owned object are not drift; fields any other manager (kubectl set, edit,
     * patch, label) adds are drift, and apply mode takes them over and removes them.
     */
    @WithDefault(
        "kube-controller-manager,kube-apiserver,kube-scheduler,kubelet,*-controller,"
            + "*-controller-manager,kubectl-rollout")
    List<String> controllerManagers();

    /**
     * Server-side dry-runs, or writes of one kind rank, in flight at once (kubernetes); kinds still
     * go in apply order (Namespaces and CRDs before what lives in them).
     */
    @WithDefault("8")
    int concurrency();

    /**
     * Sync windows (windows[0].kind, ...): deny windows hold applies, allow windows permit them.
     */
    List<SyncWindow> windows();

    /**
     * Whether unowned objects whose names Git declares are adopted: compared like owned ones, and
     * taken over in apply mode (never one that another Tidemark target owns).
     */
    @WithDefault("false")
    boolean adopt();

    /** Ignore rules (ignore[0].kind, .name, .paths): fields that are neither drift nor written. */
    List<IgnoreRule> ignore();
  }

  /** One ignore rule of a target, as Argo CD's ignoreDifferences. */
  interface IgnoreRule {

    /** Kind of the objects (Service, Deployment, Deployment.apps, ...); default every kind. */
    Optional<String> kind();

    /** Name glob of the objects ({@code *} and {@code ?}); default every name. */
    @WithDefault("*")
    String name();

    /**
     * Comma-separated field paths in the report's syntax (Mode.Replicated.Replicas, spec.replicas).
     */
    String paths();
  }

  /** One sync window of a target, as Argo CD has them. */
  interface SyncWindow {

    /** allow or deny. */
    WindowKind kind();

    /** Cron expression of the window's starts: Unix (5 fields) or Quartz (6 or 7 fields). */
    String schedule();

    /** How long the window stays open after each start. */
    Duration duration();

    /** Time zone of the schedule. */
    @WithDefault("UTC")
    ZoneId timeZone();
  }

  /** The REST API. */
  interface Api {

    /** Bearer token that mutating routes require; without it they answer 401 to everyone. */
    Optional<String> token();

    /** A file holding the bearer token (a Swarm or Kubernetes secret), read at start. */
    Optional<Path> tokenFile();

    /**
     * Whether the read API (and so the page's data) requires a bearer token: the API token or the
     * read token. Health and metrics stay open.
     */
    @WithDefault("false")
    boolean protectReads();

    /** A bearer token that opens the read API only, for people and dashboards that only look. */
    Optional<String> readToken();

    /** A file holding the read token, read at start. */
    Optional<Path> readTokenFile();
  }

  /** The report history kept under the data directory. */
  interface History {

    /** Reports kept per target; older ones are deleted. */
    @WithDefault("500")
    int maxRuns();

    /** Reports older than this are deleted. */
    @WithDefault("30d")
    Duration maxAge();
  }

  /** One webhook provider; without a secret it is off (404). */
  interface Webhook {

    /** The shared secret (HMAC key or token). */
    Optional<String> secret();

    /** A file holding the shared secret, read at start. */
    Optional<Path> secretFile();
  }

  /** Leader election through a coordination.k8s.io/v1 Lease, for running several replicas. */
  interface LeaderElection {

    /** Whether replicas elect a leader; off, this replica always reconciles. */
    @WithDefault("false")
    boolean enabled();

    /** Name of the Lease. */
    @WithDefault("tidemark-leader")
    String leaseName();

    /** Namespace of the Lease; default the pod's namespace, else {@code default}. */
    Optional<String> leaseNamespace();

    /** How long others wait after the leader's last renewal before they take over. */
    @WithDefault("15s")
    Duration leaseDuration();

    /** How long the leader keeps trying to renew before it gives up leading. */
    @WithDefault("10s")
    Duration renewDeadline();

    /** How often the leader renews and the others try to acquire. */
    @WithDefault("2s")
    Duration retryPeriod();
  }

  /** Targets spread over shards by their name; each shard is reconciled by one replica. */
  interface Sharding {

    /** How many shards (one Lease each); 1 is a single leader reconciling every target. */
    @WithDefault("1")
    int shards();

    /**
     * This replica's API base URL, for the others to forward reads; default http://$POD_IP:port.
     */
    Optional<String> advertiseUrl();

    /** How long a replica waits for another replica's answer to a forwarded request or webhook. */
    @WithDefault("10s")
    Duration forwardTimeout();
  }

  /** One outgoing webhook, told about drift, failed applies and recoveries. */
  interface Notification {

    /** Where to POST: a JSON receiver or a Slack incoming webhook; never logged. */
    URI url();

    /** json (Tidemark's payload) or slack (Slack's text and blocks). */
    @WithDefault("json")
    NotificationFormat format();

    /** Events to send: drift, apply-failed, recovered, health-degraded, health-recovered. */
    @WithDefault("drift,apply-failed,recovered,health-degraded,health-recovered")
    List<NotificationEvent> events();

    /** File holding the HMAC-SHA256 key of the X-Tidemark-Signature header. */
    Optional<Path> secretFile();

    /** Tries per notification, the first included. */
    @WithDefault("3")
    int attempts();

    /** Delay before the first retry; doubled for each later one, with jitter. */
    @WithDefault("1s")
    Duration backoff();

    /** Connect and response timeout of one try. */
    @WithDefault("10s")
    Duration timeout();
  }

  /** The body formats of outgoing notifications. */
  enum NotificationFormat {
    JSON,
    SLACK
  }

  /** The events a notification channel can ask for. */
  enum NotificationEvent {
    DRIFT,
    APPLY_FAILED,
    RECOVERED,
    HEALTH_DEGRADED,
    HEALTH_RECOVERED
  }

  /** Allow windows permit applies, deny windows hold them. */
  enum WindowKind {
    ALLOW,
    DENY
  }

  /** The kinds of cluster Tidemark reconciles. */
  enum TargetKind {
    SWARM,
    KUBERNETES
  }
}
