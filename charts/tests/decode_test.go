package charttest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/yaml"
)

// release is one rendering of the chart, sorted by kind.
type release struct {
	Deployment     *appsv1.Deployment
	ConfigMap      *corev1.ConfigMap
	TerraformCLI   *corev1.ConfigMap // terraform's CLI configuration, when rendered
	Secret         *corev1.Secret
	Service        *corev1.Service
	ServiceAccount *corev1.ServiceAccount
	PVC            *corev1.PersistentVolumeClaim
	Ingress        *networkingv1.Ingress
	NetworkPolicy  *networkingv1.NetworkPolicy
	PDB            *policyv1.PodDisruptionBudget
	ServiceMonitor *ServiceMonitor
	PrometheusRule *PrometheusRule
}

const monitoringAPIVersion = "monitoring.coreos.com/v1"

// decodeRelease splits helm's output into documents and decodes each one
// strictly: an unknown field or a wrong type fails the decode.
func decodeRelease(out []byte) (*release, error) {
	codecs := serializer.NewCodecFactory(scheme.Scheme, serializer.EnableStrict)
	decoder := codecs.UniversalDeserializer()
	reader := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(out)))
	rel := &release{}
	for {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			return rel, nil
		}
		if err != nil {
			return nil, fmt.Errorf("split rendered YAML: %w", err)
		}
		if isEmptyDocument(doc) {
			continue
		}
		var meta metav1.TypeMeta
		if err := yaml.Unmarshal(doc, &meta); err != nil {
			return nil, fmt.Errorf("read apiVersion and kind: %w\n%s", err, doc)
		}
		if meta.APIVersion == monitoringAPIVersion {
			err = decodeCustom(rel, meta.Kind, doc)
		} else {
			err = decodeBuiltin(rel, decoder, doc)
		}
		if err != nil {
			return nil, err
		}
	}
}

func isEmptyDocument(doc []byte) bool {
	for _, line := range strings.Split(string(doc), "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") && line != "---" {
			return false
		}
	}
	return true
}

func decodeBuiltin(rel *release, decoder runtime.Decoder, doc []byte) error {
	obj, gvk, err := decoder.Decode(doc, nil, nil)
	if err != nil {
		return fmt.Errorf("strict decode: %w\n%s", err, doc)
	}
	switch o := obj.(type) {
	case *appsv1.Deployment:
		return setOnce(&rel.Deployment, o)
	case *corev1.ConfigMap:
		if strings.HasSuffix(o.Name, "-terraform") {
			return setOnce(&rel.TerraformCLI, o)
		}
		return setOnce(&rel.ConfigMap, o)
	case *corev1.Secret:
		return setOnce(&rel.Secret, o)
	case *corev1.Service:
		return setOnce(&rel.Service, o)
	case *corev1.ServiceAccount:
		return setOnce(&rel.ServiceAccount, o)
	case *corev1.PersistentVolumeClaim:
		return setOnce(&rel.PVC, o)
	case *networkingv1.Ingress:
		return setOnce(&rel.Ingress, o)
	case *networkingv1.NetworkPolicy:
		return setOnce(&rel.NetworkPolicy, o)
	case *policyv1.PodDisruptionBudget:
		return setOnce(&rel.PDB, o)
	default:
		return fmt.Errorf("unexpected object %s in the chart", gvk)
	}
}

// setOnce fills a slot of the release; the chart renders at most one object
// of each kind.
func setOnce[T any](slot **T, obj *T) error {
	if *slot != nil {
		return fmt.Errorf("the chart renders more than one %T", obj)
	}
	*slot = obj
	return nil
}

func decodeCustom(rel *release, kind string, doc []byte) error {
	switch kind {
	case "ServiceMonitor":
		sm := &ServiceMonitor{}
		if err := strictCustom(doc, sm); err != nil {
			return err
		}
		return setOnce(&rel.ServiceMonitor, sm)
	case "PrometheusRule":
		pr := &PrometheusRule{}
		if err := strictCustom(doc, pr); err != nil {
			return err
		}
		return setOnce(&rel.PrometheusRule, pr)
	default:
		return fmt.Errorf("unexpected %s kind %q", monitoringAPIVersion, kind)
	}
}

func strictCustom(doc []byte, into any) error {
	if err := yaml.UnmarshalStrict(doc, into); err != nil {
		return fmt.Errorf("strict decode: %w\n%s", err, doc)
	}
	return nil
}

// TestStrictDecoderRejectsMistakes proves the decoder is strict, so that the
// chart checks cannot pass on a typo.
func TestStrictDecoderRejectsMistakes(t *testing.T) {
	cases := []struct {
		name string
		doc  string
	}{
		{"unknown field", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndatas:\n  A: b\n"},
		{"wrong type", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replicas: three\n"},
		{"unknown CRD field", "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: x\nspec:\n  endpoint:\n    - port: metrics\n"},
		{"unexpected kind", "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: x\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := decodeRelease([]byte(tc.doc)); err == nil {
				t.Fatalf("decodeRelease accepted:\n%s", tc.doc)
			}
		})
	}
}
