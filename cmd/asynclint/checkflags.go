package main

import (
	"flag"
	"fmt"
	"strconv"

	"github.com/asynclint/asynclint/passes"
)

// The standalone command accepts the same per-check flags as
// go vet -vettool=asynclint, so one command line works in both modes:
//
//	-CHECK          enable a check, as go vet does: naming some checks
//	                with -CHECK runs only those, -CHECK=false runs all
//	                but those;
//	-CHECK.OPTION   an analyzer option (asynclint -explain CHECK lists
//	                them), passed through to the vet tool unchanged.
//
// The flags are derived from passes.All, so a new check or option needs
// no code here.

// checkFlags records the per-check flags of one command line.
type checkFlags struct {
	enable  map[string]*enableFlag // by check name
	options []*optionFlag          // in registration order
}

// registerCheckFlags defines -CHECK and -CHECK.OPTION for every check.
func registerCheckFlags(fs *flag.FlagSet) *checkFlags {
	cf := &checkFlags{enable: make(map[string]*enableFlag)}
	for _, c := range passes.All {
		a := c.Analyzer
		e := new(enableFlag)
		cf.enable[a.Name] = e
		fs.Var(e, a.Name, fmt.Sprintf("enable the %s check (as go vet -%s does)", a.Name, a.Name))
		a.Flags.VisitAll(func(f *flag.Flag) {
			o := &optionFlag{name: a.Name + "." + f.Name, target: f.Value}
			cf.options = append(cf.options, o)
			fs.Var(o, o.name, f.Usage)
		})
	}
	return cf
}

// vetArgs returns the options to pass on to go vet, in the form it
// accepts them.
func (cf *checkFlags) vetArgs() []string {
	var args []string
	for _, o := range cf.options {
		if o.set {
			args = append(args, "-"+o.name+"="+o.value)
		}
	}
	return args
}

// filter narrows checks by the -CHECK flags with go vet's rule: if any
// is true, only those run; otherwise the ones set false are left out.
func (cf *checkFlags) filter(checks []passes.Check) ([]passes.Check, error) {
	anyTrue := false
	for _, e := range cf.enable {
		anyTrue = anyTrue || (e.set && e.on)
	}
	var out []passes.Check
	for _, c := range checks {
		e := cf.enable[c.Analyzer.Name]
		switch {
		case anyTrue && !(e.set && e.on):
		case e.set && !e.on:
		default:
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("the -checks and -CHECK flags together select no check")
	}
	return out, nil
}

// enableFlag is a -CHECK flag: unset, true or false.
type enableFlag struct{ set, on bool }

func (e *enableFlag) IsBoolFlag() bool { return true }

func (e *enableFlag) String() string {
	if e == nil || !e.set {
		return ""
	}
	return strconv.FormatBool(e.on)
}

func (e *enableFlag) Set(s string) error {
	on, err := strconv.ParseBool(s)
	if err != nil {
		return err
	}
	e.set, e.on = true, on
	return nil
}

// optionFlag is a -CHECK.OPTION flag. Setting it validates the value
// with the analyzer's own flag and records it for the vet tool.
type optionFlag struct {
	name   string
	target flag.Value
	set    bool
	value  string
}

func (o *optionFlag) IsBoolFlag() bool {
	b, ok := o.target.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

func (o *optionFlag) String() string {
	if o == nil || o.target == nil {
		return ""
	}
	return o.target.String()
}

func (o *optionFlag) Set(s string) error {
	if err := o.target.Set(s); err != nil {
		return err
	}
	o.set, o.value = true, s
	return nil
}
