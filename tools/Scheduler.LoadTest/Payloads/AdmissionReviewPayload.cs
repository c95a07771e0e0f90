using System.Text;

namespace Scheduler.LoadTest.Payloads;

/// <summary>
/// The AdmissionReview the API server sends for <c>kubectl apply</c> of a GPU training Job with a
/// deadline: API defaults filled in and <c>managedFields</c> present, as a real review carries them.
/// </summary>
internal static class AdmissionReviewPayload
{
    public static byte[] TrainingJobCreate() => Encoding.UTF8.GetBytes("""
        {"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1","request":{
         "uid":"5b0f3f59-1c1b-4e0e-9d4a-6a6d1f1d2c10",
         "kind":{"group":"batch","version":"v1","kind":"Job"},"resource":{"group":"batch","version":"v1","resource":"jobs"},
         "requestKind":{"group":"batch","version":"v1","kind":"Job"},"requestResource":{"group":"batch","version":"v1","resource":"jobs"},
         "name":"train-resnet","namespace":"ml","operation":"CREATE",
         "userInfo":{"username":"alice@example.com","groups":["ml-team","system:authenticated"]},
         "object":{"kind":"Job","apiVersion":"batch/v1",
          "metadata":{"name":"train-resnet","namespace":"ml","creationTimestamp":null,"labels":{"app":"train"},
           "annotations":{"carbon-aware.io/deadline":"2026-11-25T09:00:00Z","carbon-aware.io/duration":"6h","carbon-aware.io/interruptible":"true"},
           "managedFields":[{"manager":"kubectl-client-side-apply","operation":"Update","apiVersion":"batch/v1","time":"2026-11-24T18:00:00Z","fieldsType":"FieldsV1",
            "fieldsV1":{"f:metadata":{"f:annotations":{".":{},"f:carbon-aware.io/deadline":{},"f:carbon-aware.io/duration":{},"f:carbon-aware.io/interruptible":{}},"f:labels":{".":{},"f:app":{}}},
             "f:spec":{"f:backoffLimit":{},"f:completionMode":{},"f:completions":{},"f:manualSelector":{},"f:parallelism":{},"f:podReplacementPolicy":{},"f:suspend":{},
              "f:template":{"f:spec":{"f:containers":{"k:{\"name\":\"train\"}":{".":{},"f:image":{},"f:name":{},"f:resources":{".":{},"f:limits":{".":{},"f:nvidia.com/gpu":{}}}}},"f:restartPolicy":{}}}}}}]},
          "spec":{"parallelism":1,"completions":1,"backoffLimit":6,"manualSelector":false,"completionMode":"NonIndexed","suspend":false,"podReplacementPolicy":"TerminatingOrFailed",
           "template":{"metadata":{"creationTimestamp":null,"labels":{"app":"train"}},
            "spec":{"containers":[{"name":"train","image":"ghcr.io/example/train:1.4","resources":{"limits":{"nvidia.com/gpu":"8"},"requests":{"nvidia.com/gpu":"8"}},
              "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","imagePullPolicy":"IfNotPresent"}],
             "restartPolicy":"Never","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","securityContext":{},"schedulerName":"default-scheduler"}}},
          "status":{}},
         "oldObject":null,"dryRun":false,"options":{"kind":"CreateOptions","apiVersion":"meta.k8s.io/v1","fieldManager":"kubectl-client-side-apply","fieldValidation":"Strict"}}}
        """);
}
