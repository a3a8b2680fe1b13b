// Validates Kubernetes manifests against the Kubernetes API's JSON schemas (kubernetes-models)
// and CloudNativePG's CRD schemas (@kubernetes-models/cloudnative-pg). The model packages are
// ES modules only, hence a script of its own; test/src/deploy.test.ts runs it.
//   node test/manifests/validate.mjs <file.yaml>...   → prints { documents, errors } as JSON
import fs from 'node:fs';
import yaml from 'js-yaml';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Cluster, Database, ScheduledBackup } from '@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1';

const MODELS = {
  'apps/v1 Deployment': Deployment,
  'autoscaling/v2 HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'v1 ConfigMap': ConfigMap,
  'v1 Secret': Secret,
  'v1 Service': Service,
  'batch/v1 Job': Job,
  'networking.k8s.io/v1 NetworkPolicy': NetworkPolicy,
  'policy/v1 PodDisruptionBudget': PodDisruptionBudget,
  'postgresql.cnpg.io/v1 Cluster': Cluster,
  'postgresql.cnpg.io/v1 Database': Database,
  'postgresql.cnpg.io/v1 ScheduledBackup': ScheduledBackup,
};

const documents = [];
const errors = [];
for (const file of process.argv.slice(2)) {
  for (const doc of yaml.loadAll(fs.readFileSync(file, 'utf8'))) {
    if (!doc) continue;
    const type = `${doc.apiVersion} ${doc.kind}`;
    const name = doc.metadata?.name;
    documents.push({ file, type, name });
    const Model = MODELS[type];
    if (!Model) {
      errors.push({ file, type, name, error: 'no schema known for this kind' });
      continue;
    }
    try {
      new Model(doc).validate();
    } catch (error) {
      errors.push({ file, type, name, error: String(error?.message ?? error).slice(0, 2000) });
    }
  }
}
process.stdout.write(JSON.stringify({ documents, errors }));
