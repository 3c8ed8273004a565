package kubernetes

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"
)

// objects is every rendered object, decoded into its k8s.io/api type.
type objects struct {
	deployments []*appsv1.Deployment
	services    []*corev1.Service
	pdbs        []*policyv1.PodDisruptionBudget
	hpas        []*autoscalingv2.HorizontalPodAutoscaler
	policies    []*networkingv1.NetworkPolicy
	configMaps  map[string]*corev1.ConfigMap
	secrets     map[string]*corev1.Secret
	accounts    []*corev1.ServiceAccount
}

// render copies deploy/kubernetes to a temporary directory, puts stand-in
// secret files where the production overlay reads them, renders the overlay
// with kustomize's Go API (no network, no plugins) and decodes every object
// strictly: a field the Kubernetes type lacks fails, as the API server's
// strict field validation would.
func render(t *testing.T) objects {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(".")); err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{
		"tls.crt": "-----BEGIN CERTIFICATE-----\nstand-in\n-----END CERTIFICATE-----\n", "tls.key": "stand-in key",
		"client-ca.pem": "stand-in CA", "audit-dsn": "postgres://ssbtek@pg/ssbtek", "audit.key": "stand-in signer key",
		"digest-secret": "0123456789abcdef0123",
	} {
		if err := os.WriteFile(filepath.Join(dir, "production", "secrets", name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	k := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	rm, err := k.Run(filesys.MakeFsOnDisk(), filepath.Join(dir, "production"))
	if err != nil {
		t.Fatalf("kustomize build production: %v", err)
	}
	o := objects{configMaps: map[string]*corev1.ConfigMap{}, secrets: map[string]*corev1.Secret{}}
	for _, r := range rm.Resources() {
		b, err := r.AsYAML()
		if err != nil {
			t.Fatal(err)
		}
		kind := r.GetKind()
		var target any
		switch kind {
		case "Deployment":
			d := &appsv1.Deployment{}
			o.deployments, target = append(o.deployments, d), d
		case "Service":
			s := &corev1.Service{}
			o.services, target = append(o.services, s), s
		case "PodDisruptionBudget":
			p := &policyv1.PodDisruptionBudget{}
			o.pdbs, target = append(o.pdbs, p), p
		case "HorizontalPodAutoscaler":
			h := &autoscalingv2.HorizontalPodAutoscaler{}
			o.hpas, target = append(o.hpas, h), h
		case "NetworkPolicy":
			n := &networkingv1.NetworkPolicy{}
			o.policies, target = append(o.policies, n), n
		case "ConfigMap":
			c := &corev1.ConfigMap{}
			o.configMaps[r.GetName()], target = c, c
		case "Secret":
			s := &corev1.Secret{}
			o.secrets[r.GetName()], target = s, s
		case "ServiceAccount":
			s := &corev1.ServiceAccount{}
			o.accounts, target = append(o.accounts, s), s
		default:
			t.Errorf("%s %s: a kind this test does not check", kind, r.GetName())
			continue
		}
		if err := yaml.UnmarshalStrict(b, target); err != nil {
			t.Errorf("%s %s does not decode strictly into k8s.io/api: %v\n%s", kind, r.GetName(), err, b)
		}
		if ns := r.GetNamespace(); ns != "ssbtek" {
			t.Errorf("%s %s in namespace %q, want the overlay's", kind, r.GetName(), ns)
		}
	}
	return o
}

// TestProductionOverlay checks the rendered overlay against the rules of
// issue 20: three replicas that upgrade without a service window, probes
// and metrics on the ops port only, a non-root read-only pod, every secret
// from a Secret, the rights file reloaded in place, and every flag and
// variable one that ssbtekd has.
func TestProductionOverlay(t *testing.T) {
	o := render(t)
	if len(o.deployments) != 1 || len(o.pdbs) != 1 || len(o.hpas) != 1 || len(o.policies) != 1 || len(o.services) != 2 {
		t.Fatalf("rendered %d deployments, %d PDBs, %d HPAs, %d network policies, %d services; want 1, 1, 1, 1, 2",
			len(o.deployments), len(o.pdbs), len(o.hpas), len(o.policies), len(o.services))
	}
	d := o.deployments[0]
	spec := d.Spec.Template.Spec
	if d.Spec.Replicas == nil || *d.Spec.Replicas != 3 {
		t.Errorf("replicas %v, want 3", d.Spec.Replicas)
	}
	if ru := d.Spec.Strategy.RollingUpdate; ru == nil || ru.MaxUnavailable == nil || ru.MaxUnavailable.IntValue() != 0 {
		t.Errorf("rolling update %+v: want maxUnavailable 0, so an upgrade never has fewer ready pods", ru)
	}
	if len(spec.Containers) != 1 {
		t.Fatalf("%d containers, want 1", len(spec.Containers))
	}
	c := spec.Containers[0]
	if !strings.HasPrefix(c.Image, "registry.example.se/ssbtek/ssbtek-gateway:") {
		t.Errorf("image %q: the overlay's images: entry did not apply", c.Image)
	}
	flags := parseArgs(t, c.Args)
	ports := map[string]int32{}
	for _, p := range c.Ports {
		ports[p.Name] = p.ContainerPort
	}
	for flag, port := range map[string]string{"-grpc-addr": "grpc", "-http-addr": "https", "-ops-addr": "ops"} {
		_, p, err := net.SplitHostPort(flags[flag])
		if err != nil || p != strconv.Itoa(int(ports[port])) || ports[port] == 0 {
			t.Errorf("%s=%q does not listen on the container port %s (%d)", flag, flags[flag], port, ports[port])
		}
	}

	// Probes and metrics: the ops port, plain HTTP (a kubelet presents no
	// client certificate).
	for name, p := range map[string]*corev1.Probe{"startup": c.StartupProbe, "readiness": c.ReadinessProbe, "liveness": c.LivenessProbe} {
		if p == nil || p.HTTPGet == nil || p.HTTPGet.Port.String() != "ops" || p.HTTPGet.Scheme == corev1.URISchemeHTTPS {
			t.Errorf("%s probe %+v: want an HTTP GET on the ops port", name, p)
			continue
		}
		want := "/readyz"
		if name == "liveness" {
			want = "/healthz"
		}
		if p.HTTPGet.Path != want {
			t.Errorf("%s probe on %s, want %s", name, p.HTTPGet.Path, want)
		}
	}

	// Shutdown: the preStop pause, then -shutdown-delay with /readyz 503,
	// then the longest lookup, all inside the grace period.
	if c.Lifecycle == nil || c.Lifecycle.PreStop == nil || c.Lifecycle.PreStop.Sleep == nil {
		t.Fatalf("no preStop sleep: the load balancer would still send to a pod whose listeners close")
	}
	if c.Lifecycle.PreStop.Exec != nil {
		t.Error("preStop exec needs a shell or a command in the image; it has neither")
	}
	delay, err := time.ParseDuration(flags["-shutdown-delay"])
	if err != nil || delay < 5*time.Second {
		t.Errorf("-shutdown-delay %q: want a few seconds at least, for readiness to reach every load balancer", flags["-shutdown-delay"])
	}
	const longestLookup = 10 * time.Second // -overall-timeout is never above 10 s
	need := time.Duration(c.Lifecycle.PreStop.Sleep.Seconds)*time.Second + delay + longestLookup
	if g := spec.TerminationGracePeriodSeconds; g == nil || time.Duration(*g)*time.Second <= need {
		t.Errorf("terminationGracePeriodSeconds %v: want more than preStop + -shutdown-delay + the longest lookup (%v), or lookups in flight are killed", g, need)
	}

	// Resources and the security context.
	if c.Resources.Requests.Cpu().IsZero() || c.Resources.Requests.Memory().IsZero() || c.Resources.Limits.Memory().IsZero() {
		t.Errorf("resources %+v: want CPU and memory requests and a memory limit", c.Resources)
	}
	psc, sc := spec.SecurityContext, c.SecurityContext
	if psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot || psc.RunAsUser == nil || *psc.RunAsUser == 0 {
		t.Errorf("pod security context %+v: want runAsNonRoot and a non-zero runAsUser", psc)
	} else if image, err := os.ReadFile("../../Dockerfile"); err != nil || !strings.Contains(string(image), fmt.Sprintf("\nUSER %d:", *psc.RunAsUser)) {
		t.Errorf("runAsUser %d is not the Dockerfile's USER (%v)", *psc.RunAsUser, err)
	}
	if sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation ||
		sc.Capabilities == nil || len(sc.Capabilities.Drop) != 1 || sc.Capabilities.Drop[0] != "ALL" {
		t.Errorf("container security context %+v: want a read-only root file system, no privilege escalation, every capability dropped", sc)
	}
	if spec.AutomountServiceAccountToken == nil || *spec.AutomountServiceAccountToken {
		t.Error("the pod mounts a service account token it never uses")
	}

	// Files: every path a flag names is in a read-only mount of a Secret
	// (certificates, keys) or of the rights ConfigMap, and the key exists.
	mounts := map[string]corev1.Volume{}
	for _, m := range c.VolumeMounts {
		if !m.ReadOnly {
			t.Errorf("mount %s is writable", m.MountPath)
		}
		for _, v := range spec.Volumes {
			if v.Name == m.Name {
				mounts[m.MountPath] = v
			}
		}
		if m.Name == "rights" && m.SubPath != "" {
			t.Error("the rights ConfigMap is mounted with subPath: the kubelet never updates such a file, so no reload would see a change")
		}
	}
	for _, flag := range []string{"-tls-cert", "-tls-key", "-client-ca", "-audit-key", "-rights"} {
		p := flags[flag]
		v, ok := mounts[filepath.Dir(p)]
		key := filepath.Base(p)
		switch {
		case !ok:
			t.Errorf("%s=%s is in no volume mount", flag, p)
		case flag == "-rights":
			cm := o.configMaps[v.ConfigMap.Name]
			if v.ConfigMap == nil || cm == nil || cm.Data[key] == "" {
				t.Errorf("%s=%s: the ConfigMap %v has no %s", flag, p, v.ConfigMap, key)
			}
			if v.ConfigMap != nil && v.ConfigMap.Name != "ssbtekd-rights" {
				t.Errorf("the rights ConfigMap is %s: a hashed name would restart every pod on each change instead of reloading", v.ConfigMap.Name)
			}
		default:
			if v.Secret == nil || o.secrets[v.Secret.SecretName] == nil || o.secrets[v.Secret.SecretName].Data[key] == nil {
				t.Errorf("%s=%s: not a key of a rendered Secret (volume %+v)", flag, p, v)
			}
		}
	}
	if d, err := time.ParseDuration(flags["-rights-reload"]); err != nil || d <= 0 {
		t.Errorf("-rights-reload %q: want an interval, or a changed rights file is only read on SIGHUP, which Kubernetes never sends", flags["-rights-reload"])
	}
	if s := o.secrets[findSecret(c, "SSBTEK_AUDIT_DSN")]; s == nil || len(s.Data["dsn"]) == 0 {
		t.Error("SSBTEK_AUDIT_DSN is not read from a rendered Secret")
	}
	if _, ok := flags["-audit-dsn"]; ok {
		t.Error("-audit-dsn in the arguments shows the database password in the pod spec and in ps: use the Secret")
	}

	// Every flag and variable is one ssbtekd has.
	help := ssbtekdHelp(t)
	for f := range flags {
		if !help.flags[strings.TrimPrefix(f, "-")] {
			t.Errorf("ssbtekd has no flag %s", f)
		}
	}
	env := map[string]string{}
	for _, e := range c.Env {
		env[e.Name] = e.Value
	}
	for _, ef := range c.EnvFrom {
		if ef.ConfigMapRef == nil || o.configMaps[ef.ConfigMapRef.Name] == nil {
			t.Errorf("envFrom %+v: not a rendered ConfigMap", ef)
			continue
		}
		for k, v := range o.configMaps[ef.ConfigMapRef.Name].Data {
			env[k] = v
		}
	}
	for name, v := range env {
		switch {
		case name == "GOMEMLIMIT": // the Go runtime's
		case !help.env[name]:
			t.Errorf("ssbtekd reads no variable %s", name)
		case strings.HasSuffix(name, "_URL"):
			if u, err := url.Parse(v); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				t.Errorf("%s=%q is not an http(s) URL", name, v)
			}
		}
	}
	for _, a := range help.agencies {
		if env["SSBTEK_"+strings.ToUpper(a)+"_URL"] == "" {
			t.Errorf("no URL for agency %s: ssbtekd would refuse to start", a)
		}
	}

	// ssbtekd itself accepts the pod's arguments and environment (the
	// Secrets' and ConfigMaps' values resolved): started with them, it gets
	// past reading its configuration and stops at the first file the pod
	// would have mounted, the server certificate.
	podEnv := []string{}
	for _, e := range c.Env {
		v := e.Value
		if r := e.ValueFrom; r != nil && r.SecretKeyRef != nil {
			if s := o.secrets[r.SecretKeyRef.Name]; s != nil {
				v = string(s.Data[r.SecretKeyRef.Key])
			}
		}
		podEnv = append(podEnv, e.Name+"="+v)
	}
	for _, ef := range c.EnvFrom {
		if cm := o.configMaps[ef.ConfigMapRef.Name]; cm != nil {
			for k, v := range cm.Data {
				podEnv = append(podEnv, k+"="+v)
			}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start := exec.CommandContext(ctx, help.bin, c.Args...)
	start.Env, start.Dir = podEnv, t.TempDir()
	out, err := start.CombinedOutput()
	if want := "loading the server certificate: open " + flags["-tls-cert"]; err == nil || !strings.Contains(string(out), want) {
		t.Errorf("ssbtekd with the pod's arguments and environment: %v, want it to stop at %q:\n%s", err, want, out)
	}

	// Services: the municipalities' one has gRPC and HTTPS and never the
	// ops port; the ops one only that.
	for _, s := range o.services {
		var targets []string
		for _, p := range s.Spec.Ports {
			targets = append(targets, p.TargetPort.String())
		}
		got := strings.Join(targets, ",")
		switch s.Name {
		case "ssbtekd":
			if got != "grpc,https" {
				t.Errorf("service ssbtekd targets %s, want grpc,https", got)
			}
		case "ssbtekd-ops":
			if got != "ops" || s.Spec.Type != corev1.ServiceTypeClusterIP {
				t.Errorf("service ssbtekd-ops targets %s (%s), want ops only, inside the cluster", got, s.Spec.Type)
			}
		default:
			t.Errorf("unexpected service %s", s.Name)
		}
		if !selects(s.Spec.Selector, d.Spec.Template.Labels) {
			t.Errorf("service %s selects %v, not the pods %v", s.Name, s.Spec.Selector, d.Spec.Template.Labels)
		}
	}

	pdb := o.pdbs[0]
	if pdb.Spec.Selector == nil || !selects(pdb.Spec.Selector.MatchLabels, d.Spec.Template.Labels) {
		t.Errorf("PDB selector %v does not select the pods", pdb.Spec.Selector)
	}
	if mu := pdb.Spec.MaxUnavailable; mu == nil || mu.IntValue() != 1 {
		t.Errorf("PDB maxUnavailable %v, want 1", mu)
	}
	hpa := o.hpas[0]
	if hpa.Spec.ScaleTargetRef.Kind != "Deployment" || hpa.Spec.ScaleTargetRef.Name != d.Name || hpa.Spec.MinReplicas == nil || *hpa.Spec.MinReplicas < 3 || hpa.Spec.MaxReplicas < *hpa.Spec.MinReplicas {
		t.Errorf("HPA %+v: want the Deployment, at least 3 replicas", hpa.Spec)
	}

	// The network policy: the ops port only from a named source, the
	// business ports from anywhere (municipalities through the load balancer).
	np := o.policies[0]
	if !selects(np.Spec.PodSelector.MatchLabels, d.Spec.Template.Labels) || len(np.Spec.PolicyTypes) != 2 {
		t.Errorf("network policy selects %v with %v", np.Spec.PodSelector, np.Spec.PolicyTypes)
	}
	for _, rule := range np.Spec.Ingress {
		for _, p := range rule.Ports {
			if p.Port != nil && p.Port.String() == "ops" && len(rule.From) == 0 {
				t.Error("the ops port (metrics, pprof: plain HTTP) is open to every source")
			}
		}
	}

	// Secrets: the hash in their names rolls the pods when a certificate is
	// renewed; the TLS one is the standard type.
	if s := o.secrets[mounts["/etc/ssbtek/tls"].Secret.SecretName]; s == nil || s.Type != corev1.SecretTypeTLS {
		t.Errorf("the server certificate's Secret %v is not kubernetes.io/tls", s)
	}
	for name := range o.secrets {
		if !regexp.MustCompile(`-[a-z0-9]{10}$`).MatchString(name) {
			t.Errorf("Secret %s has no content hash in its name: a renewed certificate would not roll the pods", name)
		}
	}
}

// parseArgs reads -name=value arguments (the only form the manifests use,
// so a value can never be taken for the next flag).
func parseArgs(t *testing.T, args []string) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		if !ok || !strings.HasPrefix(k, "-") || strings.HasPrefix(k, "--") {
			t.Errorf("argument %q: write -flag=value", a)
			continue
		}
		if _, dup := m[k]; dup {
			t.Errorf("%s given twice", k)
		}
		m[k] = v
	}
	return m
}

// findSecret names the Secret variable name of c comes from.
func findSecret(c corev1.Container, name string) string {
	for _, e := range c.Env {
		if e.Name == name && e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
			return e.ValueFrom.SecretKeyRef.Name
		}
	}
	return ""
}

func selects(selector, labels map[string]string) bool {
	if len(selector) == 0 {
		return false
	}
	for k, v := range selector {
		if labels[k] != v {
			return false
		}
	}
	return true
}

// help is what `ssbtekd -help` says it takes.
type help struct {
	flags, env map[string]bool
	agencies   []string
	bin        string // the ssbtekd built for it
}

var (
	helpFlag = regexp.MustCompile(`(?m)^  -([a-z0-9-]+)`)
	helpEnv  = regexp.MustCompile(`\(env ([A-Z0-9_]+)\)`)
	helpURL  = regexp.MustCompile(`(?m)^  -([a-z]+)-max-in-flight `)
)

// ssbtekdHelp builds ssbtekd from this checkout and reads its -help.
func ssbtekdHelp(t *testing.T) help {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	bin := filepath.Join(t.TempDir(), "ssbtekd")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/ssbtekd")
	build.Dir = "../.."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building ssbtekd: %v\n%s", err, out)
	}
	out, err := exec.CommandContext(ctx, bin, "-help").CombinedOutput()
	if err != nil {
		t.Fatalf("ssbtekd -help: %v\n%s", err, out)
	}
	h := help{flags: map[string]bool{}, env: map[string]bool{}, bin: bin}
	for _, m := range helpFlag.FindAllStringSubmatch(string(out), -1) {
		h.flags[m[1]] = true
	}
	for _, m := range helpEnv.FindAllStringSubmatch(string(out), -1) {
		h.env[m[1]] = true
	}
	for _, m := range helpURL.FindAllStringSubmatch(string(out), -1) {
		h.agencies = append(h.agencies, m[1])
	}
	if len(h.flags) < 20 || len(h.env) < 20 || len(h.agencies) < 7 {
		t.Fatalf("read %d flags, %d variables, agencies %v from ssbtekd -help: the help format changed?\n%s", len(h.flags), len(h.env), h.agencies, out)
	}
	return h
}
