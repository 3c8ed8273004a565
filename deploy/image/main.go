// Command image builds the ssbtekd container image without a Docker daemon
// (none runs on the development machines or in CI): it reads the
// repository's Dockerfile with BuildKit's parser, runs the build stage's
// `go build` itself, lays the final stage's COPY layers over an empty image
// as `docker build` would (FROM scratch), takes USER, ENTRYPOINT and LABEL
// from the same file, and writes an OCI image layout as a tar archive
// (oci-archive: `skopeo copy oci-archive:…`, `podman load`, `docker load`).
//
//	go -C deploy run ./image -context .. -o ../bin/ssbtekd-image.tar
//
// The archive is reproducible: every time stamp is the CREATED build arg
// (`make image` passes the commit's time), every owner root.
package main

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintf(os.Stderr, "image: %v\n", err)
		os.Exit(1)
	}
}

// defaultPath is what BuildKit sets in the config of an image FROM scratch.
const defaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// buildArgs collects repeated -build-arg KEY=VALUE flags.
type buildArgs map[string]string

func (b buildArgs) String() string { return strings.Join(envList(b), ",") }
func (b buildArgs) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return fmt.Errorf("%q is not KEY=VALUE", s)
	}
	b[k] = v
	return nil
}

type options struct {
	context, dockerfile, out, arch, name string
	args                                 buildArgs
}

func run(ctx context.Context, argv []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("image", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := options{args: buildArgs{}}
	fs.StringVar(&o.context, "context", ".", "the build context: the repository root")
	fs.StringVar(&o.dockerfile, "dockerfile", "", "the Dockerfile (default CONTEXT/Dockerfile)")
	fs.StringVar(&o.out, "o", "ssbtekd-image.tar", "the OCI image archive to write")
	fs.StringVar(&o.arch, "arch", runtime.GOARCH, "the image's architecture (GOARCH; the Dockerfile's TARGETARCH)")
	fs.StringVar(&o.name, "name", "ssbtek-gateway", "the image name recorded in the archive (tag: the VERSION build arg)")
	fs.Var(o.args, "build-arg", "KEY=VALUE for an ARG of the Dockerfile (VERSION, REVISION, CREATED); repeatable")
	if err := fs.Parse(argv); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if o.dockerfile == "" {
		o.dockerfile = filepath.Join(o.context, "Dockerfile")
	}
	img, r, err := build(ctx, o)
	if err != nil {
		return err
	}
	if err := writeArchive(img, o.out, o.name, r.labels["org.opencontainers.image.version"]); err != nil {
		return err
	}
	d, err := img.Digest()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: %s:%s %s (%s, user %s)\n", o.out, o.name, r.labels["org.opencontainers.image.version"], d, o.arch, r.user)
	return nil
}

// build makes the image the Dockerfile describes.
func build(ctx context.Context, o options) (v1.Image, *recipe, error) {
	args := buildArgs{"TARGETARCH": o.arch}
	for k, v := range o.args {
		args[k] = v
	}
	r, err := readDockerfile(o.dockerfile, args)
	if err != nil {
		return nil, nil, err
	}
	created, err := time.Parse(time.RFC3339, r.created)
	if err != nil {
		return nil, nil, fmt.Errorf("CREATED %q is not an RFC 3339 time: %w", r.created, err)
	}
	created = created.UTC()
	tmp, err := os.MkdirTemp("", "ssbtekd-image-")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "ssbtekd")
	if err := goBuild(ctx, o.context, r, bin); err != nil {
		return nil, nil, err
	}

	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	for _, c := range r.copies {
		files := map[string]file{}
		src := filepath.Join(o.context, filepath.FromSlash(c.src))
		how := "COPY " + c.src + " " + c.dest
		if c.fromBuild {
			src, how = bin, "COPY --from=build "+c.src+" "+c.dest
		}
		if err := collect(src, c.dest, files); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", how, err)
		}
		b, err := layerTar(files, created)
		if err != nil {
			return nil, nil, err
		}
		l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }, tarball.WithMediaType(types.OCILayer))
		if err != nil {
			return nil, nil, err
		}
		if img, err = mutate.Append(img, mutate.Addendum{Layer: l, MediaType: types.OCILayer, History: v1.History{Created: v1.Time{Time: created}, CreatedBy: how}}); err != nil {
			return nil, nil, err
		}
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, nil, err
	}
	cf = cf.DeepCopy()
	cf.Architecture, cf.OS, cf.Created = o.arch, "linux", v1.Time{Time: created}
	cf.Config.User, cf.Config.Entrypoint, cf.Config.Labels, cf.Config.Env = r.user, r.entry, r.labels, []string{defaultPath}
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		return nil, nil, err
	}
	return img, r, nil
}

// goBuild runs the Dockerfile's `go build` in the context, writing to bin.
func goBuild(ctx context.Context, dir string, r *recipe, bin string) error {
	args := append([]string(nil), r.goArgs...)
	for i := range args {
		if i > 0 && args[i-1] == "-o" {
			args[i] = bin
		}
	}
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), r.goEnv...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

// file is one entry of a layer.
type file struct {
	src  string // "" for a directory
	mode int64
}

// collect adds src at dest as COPY does: a directory's contents go into
// dest, a file becomes dest (or dest/name when dest ends in /). Every
// parent directory is in the layer too, 0755; files keep only whether they
// are executable (0755 or 0644), so a checkout's umask does not change the
// image.
func collect(src, dest string, files map[string]file) error {
	fi, err := os.Stat(src)
	if err != nil {
		return err
	}
	add := func(name string, mode fs.FileMode, from string) {
		name = strings.TrimPrefix(path.Clean("/"+name), "/")
		for d := path.Dir(name); d != "." && d != "/"; d = path.Dir(d) {
			files[d] = file{mode: 0o755}
		}
		if name == "" {
			return
		}
		m := int64(0o644)
		if mode.IsDir() || mode&0o111 != 0 {
			m = 0o755
		}
		if mode.IsDir() {
			from = ""
		}
		files[name] = file{src: from, mode: m}
	}
	if !fi.IsDir() {
		if strings.HasSuffix(dest, "/") {
			dest += filepath.Base(src)
		}
		add(dest, fi.Mode(), src)
		return nil
	}
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if rel == "." {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if !info.Mode().IsRegular() && !info.IsDir() {
			return fmt.Errorf("%s: only files and directories", p)
		}
		add(path.Join(dest, filepath.ToSlash(rel)), info.Mode(), p)
		return nil
	})
}

// layerTar writes files as an uncompressed layer, sorted, owned by root,
// every time stamp created.
func layerTar(files map[string]file, created time.Time) ([]byte, error) {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, n := range names {
		f := files[n]
		h := &tar.Header{Name: n, Mode: f.mode, ModTime: created, Format: tar.FormatPAX}
		var body []byte
		if f.src == "" {
			h.Typeflag, h.Name = tar.TypeDir, n+"/"
		} else {
			var err error
			if body, err = os.ReadFile(f.src); err != nil {
				return nil, err
			}
			h.Typeflag, h.Size = tar.TypeReg, int64(len(body))
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
		if _, err := tw.Write(body); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeArchive writes img as an OCI image layout in a tar archive at out.
func writeArchive(img v1.Image, out, name, tag string) error {
	dir, err := os.MkdirTemp("", "ssbtekd-oci-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		return err
	}
	if err := p.AppendImage(img, layout.WithAnnotations(map[string]string{
		"org.opencontainers.image.ref.name": tag,
		"io.containerd.image.name":          name + ":" + tag,
	})); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".image-*.tar")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tarDir(tmp, dir); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", out, err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), out)
}

// tarDir writes dir's tree to w, sorted, with fixed times and owners, so
// the same image gives the same archive.
func tarDir(w io.Writer, dir string) error {
	tw := tar.NewWriter(w)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		h := &tar.Header{Name: filepath.ToSlash(rel), Mode: 0o644, ModTime: time.Unix(0, 0).UTC(), Typeflag: tar.TypeReg}
		if d.IsDir() {
			h.Name, h.Mode, h.Typeflag = h.Name+"/", 0o755, tar.TypeDir
			return tw.WriteHeader(h)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		h.Size = int64(len(b))
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		_, err = tw.Write(b)
		return err
	})
	if err != nil {
		return err
	}
	return tw.Close()
}
