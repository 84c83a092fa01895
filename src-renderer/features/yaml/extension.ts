/**
 * YAML editing and applying: "Edit YAML" on details pages of every kind that can be updated (the
 * editor with a diff before apply and field errors at their lines), the "Apply YAML" page
 * (paste, files, drag and drop, several documents, templates), a "Create" button on the list of
 * each kind that has a template, a workbench entry and palette commands.
 */
import type { Command, Extension } from '../../extensions/types';
import { templates } from './templates';
import EditYamlButton from './EditYamlButton.vue';
import CreateFromTemplateButton from './CreateFromTemplateButton.vue';
import { templateForResource } from './templates';

const templateCommands: Command[] = templates().map((t) => ({
  id: `yaml.template.${t.kind.toLowerCase()}`,
  title: `New ${t.kind} from a YAML template`,
  group: 'Create',
  run: ({ router, namespace }) => void router.push({ name: 'apply-yaml', query: namespace ? { kind: t.kind, namespace } : { kind: t.kind } }),
}));

export const extension: Extension = {
  routes: [
    { path: '/apply', name: 'apply-yaml', component: () => import('./ApplyYamlView.vue') },
    { path: '/yaml/edit/:group/:version/:resource/:namespace?/:name', name: 'yaml-edit', component: () => import('./EditYamlView.vue') },
  ],
  detailsActions: [
    {
      id: 'yaml.edit',
      order: 50,
      applies: (ctx) => !ctx.api || ctx.api.verbs.includes('update') || ctx.api.verbs.includes('patch'),
      component: EditYamlButton,
    },
  ],
  listActions: [
    {
      id: 'yaml.create',
      order: 50,
      applies: (ctx) => !!templateForResource(ctx.resource.group, ctx.resource.resource) && (!ctx.api || ctx.api.verbs.includes('create')),
      component: CreateFromTemplateButton,
    },
  ],
  nav: [{ id: 'yaml.apply', label: 'Apply YAML', to: { name: 'apply-yaml' }, order: 40 }],
  commands: [
    {
      id: 'yaml.apply',
      title: 'Apply YAML…',
      group: 'Create',
      run: ({ router }) => void router.push({ name: 'apply-yaml' }),
    },
    ...templateCommands,
  ],
};
