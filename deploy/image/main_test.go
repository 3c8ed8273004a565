package main

import (
	"archive/tar"
	"bytes"
	"context"
	"debug/elf"
	"errors"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

// TestImage builds the image as the README says, `make image`, reads the
// archive back as an OCI layout and checks what the Dockerfile promises: a
// numeric non-root user, the binary as entrypoint, the OCI labels (the
// commit's revision and time), no shell or anything else but the binary and
// the user's entry; then it takes the binary out of the image and runs
// `ssbtekd -help` with an empty environment in an empty directory, as in a
// container with nothing else. A second build of the same commit must give
// the same image.
func TestImage(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	out := filepath.Join(t.TempDir(), "image.tar")
	mk := exec.CommandContext(ctx, "make", "image", "IMAGE_TAR="+out)
	mk.Dir = "../.."
	if b, err := mk.CombinedOutput(); err != nil {
		t.Fatalf("make image: %v\n%s", err, b)
	}
	git := func(args ...string) string {
		cmd := exec.Command("git", args...)
		cmd.Dir = "../.."
		b, err := cmd.Output()
		if err != nil {
			t.Fatalf("git %v: %v", args, err)
		}
		return strings.TrimSpace(string(b))
	}
	version, revision := git("describe", "--tags", "--always", "--dirty"), git("rev-parse", "HEAD")
	committed, err := time.Parse(time.RFC3339, git("log", "-1", "--format=%cI"))
	if err != nil {
		t.Fatal(err)
	}
	created := committed.UTC().Format(time.RFC3339)
	img := readArchive(t, out, version)

	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	c := cf.Config
	uid, gid, ok := strings.Cut(c.User, ":")
	if n, err := strconv.Atoi(uid); err != nil || n == 0 || !ok {
		t.Errorf("user %q: want a numeric non-root uid:gid (a name needs /etc/passwd at admission, and Kubernetes' runAsNonRoot can only check a number)", c.User)
	} else if g, err := strconv.Atoi(gid); err != nil || g == 0 {
		t.Errorf("user %q: want a numeric non-root group", c.User)
	}
	if strings.Join(c.Entrypoint, " ") != "/usr/local/bin/ssbtekd" || len(c.Cmd) != 0 {
		t.Errorf("entrypoint %q cmd %q, want [/usr/local/bin/ssbtekd] and no cmd", c.Entrypoint, c.Cmd)
	}
	for k, want := range map[string]string{
		"org.opencontainers.image.title":    "ssbtek-gateway",
		"org.opencontainers.image.version":  version,
		"org.opencontainers.image.revision": revision,
		"org.opencontainers.image.created":  created,
		"org.opencontainers.image.source":   "https://github.com/ssbtek/gateway",
	} {
		if c.Labels[k] != want {
			t.Errorf("label %s = %q, want %q", k, c.Labels[k], want)
		}
	}
	if cf.OS != "linux" || cf.Architecture != runtime.GOARCH || !cf.Created.Time.Equal(mustTime(t, created)) {
		t.Errorf("os %s arch %s created %v", cf.OS, cf.Architecture, cf.Created)
	}

	// Every file of every layer: the binary, /etc/passwd and /etc/group
	// with the image's user, directories; nothing else, no shell.
	files := map[string][]byte{}
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	if len(layers) != 2 {
		t.Errorf("%d layers, want 2 (the Dockerfile's two COPYs)", len(layers))
	}
	rc := mutate.Extract(img)
	defer rc.Close()
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Uid != 0 || h.Gid != 0 {
			t.Errorf("%s owned by %d:%d: the user must not own what it runs (read-only root file system)", h.Name, h.Uid, h.Gid)
		}
		switch h.Typeflag {
		case tar.TypeDir:
			continue
		case tar.TypeReg:
		default:
			t.Errorf("%s: type %c, want only files and directories (no links)", h.Name, h.Typeflag)
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		files[path.Clean("/"+h.Name)] = b
	}
	for name := range files {
		switch name {
		case "/usr/local/bin/ssbtekd", "/etc/passwd", "/etc/group":
		default:
			t.Errorf("unexpected file %s in the image", name)
		}
		if base := path.Base(name); base == "sh" || base == "bash" || base == "busybox" || base == "ash" {
			t.Errorf("a shell in the image: %s", name)
		}
	}
	if !strings.Contains(string(files["/etc/passwd"]), ":"+uid+":"+gid+":") {
		t.Errorf("/etc/passwd has no entry for %s:\n%s", c.User, files["/etc/passwd"])
	}

	// The binary, taken out of the image: static (no interpreter, no
	// shared library), and it starts with nothing around it.
	dir := t.TempDir()
	bin := filepath.Join(dir, "ssbtekd")
	if err := os.WriteFile(bin, files["/usr/local/bin/ssbtekd"], 0o755); err != nil {
		t.Fatal(err)
	}
	ef, err := elf.Open(bin)
	if err != nil {
		t.Fatalf("the image's binary: %v", err)
	}
	libs, _ := ef.ImportedLibraries()
	if ef.Section(".interp") != nil || len(libs) > 0 {
		t.Errorf("the binary is not static: interpreter %v, libraries %v", ef.Section(".interp") != nil, libs)
	}
	ef.Close()
	empty := t.TempDir()
	cmd := exec.CommandContext(ctx, "/usr/bin/env", "-i", bin, "-help")
	cmd.Dir = empty
	got, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(got), "Usage of ssbtekd") || !strings.Contains(string(got), "-audit-dsn") {
		t.Errorf("ssbtekd -help from the image in an empty environment: %v\n%s", err, got)
	}
	if left, _ := os.ReadDir(empty); len(left) > 0 {
		t.Errorf("-help wrote into its working directory: %v", left)
	}

	// The same inputs give the same image, byte for byte.
	out2 := filepath.Join(t.TempDir(), "again.tar")
	var stderr bytes.Buffer
	if err := run(ctx, []string{"-context", "../..", "-o", out2, "-build-arg", "VERSION=" + version, "-build-arg", "REVISION=" + revision, "-build-arg", "CREATED=" + created}, io.Discard, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	d1, _ := img.Digest()
	d2, _ := readArchive(t, out2, version).Digest()
	if d1 != d2 {
		t.Errorf("two builds of the same commit differ: %s, %s", d1, d2)
	}
}

// readArchive unpacks an OCI archive and returns its one image, checking
// the tag it is recorded under.
func readArchive(t *testing.T, archive, tag string) v1.Image {
	t.Helper()
	dir := t.TempDir()
	f, err := os.Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, filepath.FromSlash(path.Clean("/"+h.Name)))
		if h.Typeflag == tar.TypeDir {
			os.MkdirAll(p, 0o755)
			continue
		}
		os.MkdirAll(filepath.Dir(p), 0o755)
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	idx, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		t.Fatalf("not an OCI layout: %v", err)
	}
	m, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Manifests) != 1 || m.Manifests[0].Annotations["org.opencontainers.image.ref.name"] != tag {
		t.Fatalf("index %+v: want one image tagged %s", m.Manifests, tag)
	}
	img, err := idx.Image(m.Manifests[0].Digest)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// TestDockerfileRefused checks that a final-stage instruction the builder
// would not reproduce (here RUN, which needs a shell anyway) stops it, so
// the Dockerfile and the daemonless image cannot drift apart unseen.
func TestDockerfileRefused(t *testing.T) {
	df, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	for name, change := range map[string]func(string) string{
		"RUN in the final stage": func(s string) string { return s + "RUN [\"/usr/local/bin/ssbtekd\", \"-help\"]\n" },
		"shell entrypoint": func(s string) string {
			return strings.Replace(s, `ENTRYPOINT ["/usr/local/bin/ssbtekd"]`, "ENTRYPOINT /usr/local/bin/ssbtekd", 1)
		},
		"go build and more": func(s string) string {
			return strings.Replace(s, "./cmd/ssbtekd\n", "./cmd/ssbtekd && rm -rf /src\n", 1)
		},
		"copy of something not built": func(s string) string {
			return strings.Replace(s, "COPY --from=build /out/ssbtekd", "COPY --from=build /out/other", 1)
		},
	} {
		t.Run(name, func(t *testing.T) {
			changed := change(string(df))
			if changed == string(df) {
				t.Fatal("the change did not apply: the Dockerfile changed, update this test")
			}
			p := filepath.Join(t.TempDir(), "Dockerfile")
			os.WriteFile(p, []byte(changed), 0o644)
			if _, err := readDockerfile(p, map[string]string{"TARGETARCH": runtime.GOARCH}); err == nil {
				t.Error("accepted")
			}
		})
	}
}
