package main

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// recipe is what the Dockerfile says the image is, read with BuildKit's own
// Dockerfile parser so that this builder and `docker build` cannot read the
// file differently.
type recipe struct {
	// goBuild is the build stage's `go build` command: its environment
	// assignments and its arguments after `go`; binary is its -o path.
	goEnv   []string
	goArgs  []string
	binary  string
	copies  []copyStep
	user    string
	entry   []string
	labels  map[string]string
	created string
}

// copyStep is one COPY of the final stage: from the build context (the
// repository) or, with fromBuild, the build stage's binary.
type copyStep struct {
	src, dest string
	fromBuild bool
}

// readDockerfile reads path's build and final stages with the build args
// given (e.g. VERSION=…); ARG defaults fill the rest. Any instruction of the
// final stage that this builder would not reproduce exactly is an error.
func readDockerfile(path string, buildArgs map[string]string) (*recipe, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ast, err := parser.Parse(f)
	if err != nil {
		return nil, fmt.Errorf("parsing %s: %w", path, err)
	}
	stages, metaArgs, err := instructions.Parse(ast.AST, nil)
	if err != nil {
		return nil, fmt.Errorf("parsing %s: %w", path, err)
	}
	if len(stages) != 2 || stages[1].BaseName != "scratch" {
		return nil, fmt.Errorf("%s: want a build stage and a final stage FROM scratch", path)
	}
	lex := shell.NewLex(ast.EscapeToken)
	args := map[string]string{}
	declare := func(a *instructions.ArgCommand) {
		for _, kv := range a.Args {
			if v, ok := buildArgs[kv.Key]; ok {
				args[kv.Key] = v
			} else if kv.Value != nil {
				args[kv.Key] = *kv.Value
			}
		}
	}
	for i := range metaArgs {
		declare(&metaArgs[i])
	}
	expand := func(cmd instructions.Command) error {
		e, ok := cmd.(instructions.SupportsSingleWordExpansion)
		if !ok {
			return nil
		}
		return e.Expand(func(word string) (string, error) {
			s, _, err := lex.ProcessWord(word, shell.EnvsFromSlice(envList(args)))
			return s, err
		})
	}
	r := &recipe{labels: map[string]string{}}
	build := stages[0]
	for _, cmd := range build.Commands {
		if err := expand(cmd); err != nil {
			return nil, fmt.Errorf("%s: %s: %w", path, cmd.Name(), err)
		}
		switch c := cmd.(type) {
		case *instructions.ArgCommand:
			declare(c)
		case *instructions.RunCommand:
			if err := r.readGoBuild(lex, c, args); err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
		}
	}
	if r.binary == "" {
		return nil, fmt.Errorf("%s: the build stage has no `RUN … go build … -o PATH`", path)
	}
	final := stages[1]
	// A final stage's ARGs are its own: only those it declares expand.
	args = map[string]string{}
	for _, cmd := range final.Commands {
		if err := expand(cmd); err != nil {
			return nil, fmt.Errorf("%s: %s: %w", path, cmd.Name(), err)
		}
		switch c := cmd.(type) {
		case *instructions.ArgCommand:
			declare(c)
		case *instructions.CopyCommand:
			if len(c.SourcePaths) != 1 || c.Chown != "" || c.Chmod != "" || c.Link || c.Parents || len(c.ExcludePatterns) > 0 {
				return nil, fmt.Errorf("%s: %s: only COPY SRC DEST, one source, no options but --from", path, c.String())
			}
			step := copyStep{src: c.SourcePaths[0], dest: c.DestPath}
			switch c.From {
			case "":
			case build.Name:
				if step.src != r.binary {
					return nil, fmt.Errorf("%s: COPY --from=%s %s: the build stage writes %s", path, c.From, step.src, r.binary)
				}
				step.fromBuild = true
			default:
				return nil, fmt.Errorf("%s: COPY --from=%s: only the build stage %q", path, c.From, build.Name)
			}
			r.copies = append(r.copies, step)
		case *instructions.UserCommand:
			r.user = c.User
		case *instructions.EntrypointCommand:
			if c.PrependShell {
				return nil, fmt.Errorf("%s: ENTRYPOINT in shell form needs a shell the image does not have: use the JSON form", path)
			}
			r.entry = c.CmdLine
		case *instructions.LabelCommand:
			for _, kv := range c.Labels {
				r.labels[kv.Key] = kv.Value
			}
		default:
			return nil, fmt.Errorf("%s: %s in the final stage: this builder does not reproduce it", path, strings.ToUpper(cmd.Name()))
		}
	}
	r.created = args["CREATED"]
	return r, nil
}

// readGoBuild takes the build stage's `RUN [VAR=value…] go build … -o PATH …`:
// the command this builder runs itself. A RUN doing anything else than one
// command (&&, ;, |) is refused, or part of it would silently not happen here.
func (r *recipe) readGoBuild(lex *shell.Lex, c *instructions.RunCommand, args map[string]string) error {
	if len(c.CmdLine) != 1 || !c.PrependShell {
		return nil
	}
	words, err := lex.ProcessWords(c.CmdLine[0], shell.EnvsFromSlice(envList(args)))
	if err != nil {
		return fmt.Errorf("RUN %s: %w", c.CmdLine[0], err)
	}
	i := 0
	for i < len(words) && strings.Contains(words[i], "=") {
		i++
	}
	if i+1 >= len(words) || words[i] != "go" || words[i+1] != "build" {
		return nil
	}
	for _, w := range words {
		if strings.ContainsAny(w, "&;|<>`$") {
			return fmt.Errorf("RUN %s: the go build must be a single command", c.CmdLine[0])
		}
	}
	if r.binary != "" {
		return errors.New("the build stage has two go builds")
	}
	r.goEnv, r.goArgs = words[:i], words[i+1:]
	for j, w := range r.goArgs {
		if w == "-o" && j+1 < len(r.goArgs) {
			r.binary = r.goArgs[j+1]
		}
	}
	if r.binary == "" {
		return fmt.Errorf("RUN %s: no -o PATH", c.CmdLine[0])
	}
	return nil
}

func envList(m map[string]string) []string {
	var l []string
	for k, v := range m {
		l = append(l, k+"="+v)
	}
	sort.Strings(l)
	return l
}
