package io.tidemark.cli;

import io.tidemark.cluster.Target;
import io.tidemark.cluster.kubernetes.ControllerManagers;
import io.tidemark.cluster.kubernetes.KubectlKustomize;
import io.tidemark.cluster.kubernetes.KubernetesManifestLoader;
import io.tidemark.cluster.kubernetes.KubernetesTarget;
import io.tidemark.cluster.kubernetes.helm.ChartCredentials;
import io.tidemark.cluster.kubernetes.helm.ChartSource;
import io.tidemark.cluster.kubernetes.helm.HelmRenderer;
import io.tidemark.cluster.kubernetes.helm.RepositoryCredentials;
import io.tidemark.cluster.swarm.SwarmStackLoader;
import io.tidemark.config.TidemarkConfig.TargetKind;
import io.tidemark.desired.DesiredStateLoader;
import io.tidemark.desired.InvalidRevisionException;
import io.tidemark.desired.sops.AgeKeys;
import io.tidemark.desired.sops.SopsDecryptor;
import io.tidemark.diff.PlanPolicy;
import io.tidemark.model.DesiredState;
import io.tidemark.model.Mode;
import io.tidemark.model.Trigger;
import io.tidemark.reconcile.SyncWindows;
import io.tidemark.reconcile.TargetFactory;
import io.tidemark.reconcile.TargetReconciler;
import io.tidemark.reconcile.TargetSettings;
import io.tidemark.report.DriftReport;
import io.tidemark.report.RunListener;
import io.tidemark.source.FollowedRef;
import io.tidemark.source.GitSettings;
import io.tidemark.source.GitSource;
import io.tidemark.source.JGitSource;
import io.tidemark.source.LocalFolderSource;
import io.tidemark.source.Revision;
import io.tidemark.source.SourceException;
import io.tidemark.source.UntrustedRevisionException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One reconcile from the command line: reads the repository (a local folder as it is, or a clone of
 * a URL in a temporary folder), builds the target, runs the same pipeline as the service once, and
 * cleans up after itself.
 */
final class OneShot implements AutoCloseable {

  private static final Pattern COMMIT = Pattern.compile("[0-9a-fA-F]{7,40}");
  private static final Pattern SCP_LIKE = Pattern.compile("[^/@:]+@[^/:]+:.+");

  private final CliOptions options;
  private Path tempDir;
  private JGitSource clone;

  OneShot(CliOptions options) {
    this.options = options;
  }

  /**
   * Fetches the revision, then plans (and in apply mode applies) it against the live cluster.
   *
   * @throws SourceException when the repository or ref cannot be read: no report is possible
   */
  DriftReport run() throws SourceException, IOException {
    FetchedSource fetched;
    try {
      fetched = new FetchedSource(fetch(), null);
    } catch (UntrustedRevisionException e) {
      // Refused like an invalid revision: the pipeline reports it, and the exit code says error.
      fetched = new FetchedSource(null, e);
    }
    Target target = target();
    Mode mode = options.command() == CliOptions.Command.APPLY ? Mode.APPLY : Mode.DETECT;
    TargetSettings settings =
        new TargetSettings(
            options.name(),
            options.kind().name().toLowerCase(java.util.Locale.ROOT),
            options.path(),
            mode,
            options.prune(),
            Duration.ofMinutes(1), // never polls: one run, then exit
            options.healthTimeout(),
            SyncWindows.none(),
            new PlanPolicy(options.adopt(), options.ignore()));
    TargetReconciler reconciler =
        new TargetReconciler(settings, target, fetched, new RunListener() {}, Clock.systemUTC());
    return reconciler.reconcile(Trigger.cli());
  }

  /**
   * Fetches the revision and renders the folder as the service would (Helm releases with Helm's
   * default capabilities: no cluster is asked).
   *
   * @throws InvalidRevisionException when the folder does not render, with every error
   */
  DesiredState render() throws SourceException, IOException, InvalidRevisionException {
    Revision revision = fetch();
    SopsDecryptor sops = new SopsDecryptor(AgeKeys.load(options.sopsAgeKeyFile(), System.getenv()));
    DesiredStateLoader loader =
        options.kind() == TargetKind.SWARM
            ? new SwarmStackLoader(options.name(), options.stack(), options.variables(), sops)
            : new KubernetesManifestLoader(
                options.name(),
                options.namespace().orElse("default"),
                KubectlKustomize.fromPath(Duration.ofMinutes(1)),
                sops,
                new HelmRenderer(),
                charts());
    return loader.load(revision.tree(), options.path(), revision.info());
  }

  private Target target() throws IOException {
    SopsDecryptor sops = new SopsDecryptor(AgeKeys.load(options.sopsAgeKeyFile(), System.getenv()));
    return options.kind() == TargetKind.SWARM
        ? TargetFactory.swarm(
            options.name(),
            options.stack(),
            options.dockerHost().orElse(null),
            options.variables(),
            options.adopt(),
            sops)
        : TargetFactory.kubernetes(
            options.name(),
            options.namespace(),
            options.kubeconfig(),
            options.context(),
            KubernetesTarget.DEFAULT_CRD_TIMEOUT,
            ControllerManagers.defaults(),
            sops,
            charts(),
            options.concurrency());
  }

  /**
   * Remote Helm charts cached under {@code --data-dir}/helm/charts, else in this run's temporary
   * folder, with the credentials of {@code --helm-repository}, their passwords read from files.
   */
  private ChartSource charts() throws IOException {
    Path dir = options.dataDir().orElse(null);
    if (dir == null) {
      if (tempDir == null) {
        tempDir = Files.createTempDirectory("tidemark-cli-");
      }
      dir = tempDir;
    }
    List<RepositoryCredentials> credentials = new ArrayList<>();
    for (CliOptions.HelmRepository repository : options.helmRepositories()) {
      Optional<String> password = Optional.empty();
      if (repository.passwordFile().isPresent()) {
        Path file = repository.passwordFile().get();
        try {
          password = Optional.of(GitSettings.readSecret(file));
        } catch (IOException e) {
          // The path is the user's own input; the file's content is never in a message.
          throw new IOException(
              "--helm-repository " + repository.url() + ": cannot read password-file " + file, e);
        }
      }
      credentials.add(
          new RepositoryCredentials(
              repository.url(), repository.username(), password, repository.plainHttp()));
    }
    return ChartSource.cachedIn(
        dir.resolve("helm").resolve("charts"),
        new ChartCredentials(credentials),
        Duration.ofSeconds(30));
  }

  private Revision fetch() throws SourceException, IOException {
    Path local = localFolder(options.repo());
    // A folder is read as it is, uncommitted changes included: only a clone has a commit to trust.
    if (local != null && options.ref().isEmpty() && !options.signatures().required()) {
      return new LocalFolderSource(local).sync();
    }
    String url = local != null ? local.toUri().toString() : options.repo();
    if (local == null && !url.contains("://") && !SCP_LIKE.matcher(url).matches()) {
      throw new SourceException("--repo " + url + " is neither an existing folder nor a Git URL");
    }
    String ref = options.ref().orElse("main");
    Path workDir = options.dataDir().orElse(null);
    if (workDir == null) {
      tempDir = Files.createTempDirectory("tidemark-cli-");
      workDir = tempDir;
    }
    try {
      return checkout(url, refOf(ref), workDir);
    } catch (SourceException e) {
      boolean plainName = !ref.contains("/") && !COMMIT.matcher(ref).matches();
      if (!plainName
          || e instanceof UntrustedRevisionException
          || !e.getMessage().contains("not found")) {
        throw e;
      }
      // "--ref v1.2" names a tag as often as a branch: try the tag before giving up.
      return checkout(url, FollowedRef.tag(ref), workDir);
    }
  }

  private Revision checkout(String url, FollowedRef ref, Path workDir) throws SourceException {
    closeClone();
    GitSettings settings =
        new GitSettings(
            url,
            ref,
            options.gitUsername(),
            options.gitPasswordFile().map(OneShot::secret),
            options.gitSshKey(),
            options.gitKnownHosts(),
            Duration.ofSeconds(60),
            workDir);
    clone = new JGitSource(settings, options.signatures());
    return clone.sync();
  }

  private static String secret(Path file) {
    try {
      return GitSettings.readSecret(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read --git-password-file " + file);
    }
  }

  /**
   * {@code branch}, {@code tags/NAME}, {@code refs/heads/NAME}, {@code refs/tags/NAME} or a commit.
   */
  static FollowedRef refOf(String ref) {
    if (ref.startsWith("refs/heads/")) {
      return FollowedRef.branch(ref.substring("refs/heads/".length()));
    }
    if (ref.startsWith("refs/tags/")) {
      return FollowedRef.tag(ref.substring("refs/tags/".length()));
    }
    if (ref.startsWith("tags/")) {
      return FollowedRef.tag(ref.substring("tags/".length()));
    }
    return COMMIT.matcher(ref).matches() ? FollowedRef.commit(ref) : FollowedRef.branch(ref);
  }

  private static Path localFolder(String repo) {
    if (repo.startsWith("file://")) {
      return null; // an explicit URL: cloned, like any other
    }
    try {
      Path path = Path.of(repo);
      return Files.isDirectory(path) ? path : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private void closeClone() {
    if (clone != null) {
      clone.close();
      clone = null;
    }
  }

  @Override
  public void close() throws IOException {
    closeClone();
    if (tempDir != null) {
      delete(tempDir);
    }
  }

  private static void delete(Path dir) throws IOException {
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /**
   * The revision this run already fetched (or the refusal of an untrusted one), handed to the
   * pipeline as its source.
   */
  private record FetchedSource(Revision revision, UntrustedRevisionException refused)
      implements GitSource {

    @Override
    public Revision sync() throws UntrustedRevisionException {
      if (refused != null) {
        throw refused;
      }
      return revision;
    }

    @Override
    public Optional<Revision> current() {
      return Optional.ofNullable(revision);
    }

    @Override
    public String url() {
      return revision == null ? "" : revision.tree().toUri().toString();
    }

    @Override
    public String ref() {
      return revision == null ? refused.revision().commit() : revision.commit();
    }

    @Override
    public boolean tracks(String refName) {
      return false;
    }
  }
}
