// k8s-strict decodes Kubernetes objects with the API server's own Go types and a strict decoder,
// so unknown fields (a misspelt key that the schema validators accept and Kubernetes would drop
// silently), duplicate fields and wrong types are errors, like `kubeconform -strict` but offline.
//
// Input: a JSON array of objects on stdin. Output: a JSON array of
// {"kind", "name", "errors", "skipped"} in input order; "skipped" is true for kinds the
// client-go scheme does not know (custom resources), which the caller validates otherwise.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/client-go/kubernetes/scheme"
)

type result struct {
	Kind    string   `json:"kind"`
	Name    string   `json:"name"`
	Errors  []string `json:"errors"`
	Skipped bool     `json:"skipped"`
}

type header struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name string `json:"name"`
	} `json:"metadata"`
}

func main() {
	input, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "k8s-strict: reading stdin:", err)
		os.Exit(2)
	}
	var objects []json.RawMessage
	if err := json.Unmarshal(input, &objects); err != nil {
		fmt.Fprintln(os.Stderr, "k8s-strict: expected a JSON array of Kubernetes objects:", err)
		os.Exit(2)
	}
	decoder := serializer.NewCodecFactory(scheme.Scheme, serializer.EnableStrict).UniversalDeserializer()
	results := make([]result, 0, len(objects))
	for _, raw := range objects {
		var h header
		_ = json.Unmarshal(raw, &h)
		r := result{Kind: h.Kind, Name: h.Metadata.Name, Errors: []string{}}
		gvk := scheme.Scheme.AllKnownTypes()
		known := false
		for k := range gvk {
			if k.Kind == h.Kind && k.GroupVersion().String() == h.APIVersion {
				known = true
				break
			}
		}
		if !known {
			r.Skipped = true
		} else if _, _, err := decoder.Decode(raw, nil, nil); err != nil {
			r.Errors = append(r.Errors, err.Error())
		}
		results = append(results, r)
	}
	if err := json.NewEncoder(os.Stdout).Encode(results); err != nil {
		fmt.Fprintln(os.Stderr, "k8s-strict: writing results:", err)
		os.Exit(1)
	}
}
