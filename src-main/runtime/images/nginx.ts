/**
 * nginx (docker.io/library/nginx): tags from 1.7.9 (Debian jessie, no entrypoint) to 1.29
 * (trixie), stable/mainline/latest and the `-alpine` variants. The files per era come from
 * nginx-files.ts, the entrypoint from nginx-entrypoint.ts, the binary from nginx-main.ts and the
 * HTTP side from nginx-http.ts.
 */
import type { ImageFamily, TagGroup } from './types';
import { DEFAULT_PATH } from './types';
import { nginxEntrypoint } from './nginx-entrypoint';
import { nginxMain } from './nginx-main';
import { defaultConf, hasEntrypoint, nginxConf, nginxFiles, stopSignalFor } from './nginx-files';
import { INDEX_HTML_2021, versionAtLeast } from './nginx-pages';

/** The njs module version shipped with each nginx (0 before njs was packaged into the image). */
function njsFor(version: string): string | undefined {
  if (versionAtLeast(version, '1.29.0')) return '0.9.4';
  if (versionAtLeast(version, '1.27.0')) return '0.8.9';
  if (versionAtLeast(version, '1.25.0')) return '0.8.4';
  if (versionAtLeast(version, '1.23.0')) return '0.7.11';
  if (versionAtLeast(version, '1.21.0')) return '0.7.3';
  if (versionAtLeast(version, '1.19.0')) return '0.5.3';
  if (versionAtLeast(version, '1.15.0')) return '0.3.9';
  return undefined;
}

const g = (tags: string[], version: string, sizeBytes: number, base: string): TagGroup => {
  const alpine = /^\d/.test(base);
  const njs = njsFor(version);
  const rel = alpine ? '1' : versionAtLeast(version, '1.15.0') ? `1~${base}` : `1~${base}`;
  return {
    tags,
    version,
    sizeBytes,
    variant: { base },
    config: {
      entrypoint: hasEntrypoint(version) ? ['/docker-entrypoint.sh'] : [],
      stopSignal: stopSignalFor(version),
      env: [
        DEFAULT_PATH,
        `NGINX_VERSION=${version}`,
        ...(njs ? [`NJS_VERSION=${njs}`] : []),
        ...(versionAtLeast(version, '1.25.0') ? [`NJS_RELEASE=${rel}`] : []),
        `PKG_RELEASE=${rel}`,
        ...(versionAtLeast(version, '1.25.0') ? [`DYNPKG_RELEASE=${rel}`] : []),
      ],
    },
  };
};

export const nginx: ImageFamily = {
  repository: 'docker.io/library/nginx',
  config: {
    entrypoint: ['/docker-entrypoint.sh'],
    cmd: ['nginx', '-g', 'daemon off;'],
    workingDir: '',
    env: [DEFAULT_PATH],
    exposedPorts: ['80/tcp'],
    stopSignal: 'SIGQUIT',
  },
  groups: [
    g(['1.29.3', 'mainline', '1.29', '1', 'latest', '1.29.3-trixie', 'mainline-trixie', 'trixie', '1.29-trixie', '1-trixie'], '1.29.3', 59_812_443, 'trixie'),
    g(['1.28.0', 'stable', '1.28', '1.28.0-bookworm', 'stable-bookworm', '1.28-bookworm'], '1.28.0', 72_225_615, 'bookworm'),
    g(['1.27.5', '1.27', '1.27.5-bookworm', '1.27-bookworm'], '1.27.5', 72_195_292, 'bookworm'),
    g(['1.27.4', '1.27.4-bookworm'], '1.27.4', 72_188_133, 'bookworm'),
    g(['1.27.3', '1.27.3-bookworm'], '1.27.3', 72_099_812, 'bookworm'),
    g(['1.26.3', '1.26', '1.26.3-bookworm', '1.26-bookworm'], '1.26.3', 72_099_501, 'bookworm'),
    g(['1.25.5', '1.25', '1.25.5-bookworm', '1.25-bookworm'], '1.25.5', 71_004_212, 'bookworm'),
    g(['1.25.3', '1.25.3-bookworm'], '1.25.3', 70_520_733, 'bookworm'),
    g(['1.24.0', '1.24', '1.24.0-bullseye', '1.24-bullseye'], '1.24.0', 56_863_118, 'bullseye'),
    g(['1.23.4', '1.23', '1.23.4-bullseye'], '1.23.4', 56_849_110, 'bullseye'),
    g(['1.22.1', '1.22', '1.22.1-bullseye'], '1.22.1', 56_864_710, 'bullseye'),
    g(['1.21.6', '1.21', '1.21.6-bullseye'], '1.21.6', 56_744_022, 'bullseye'),
    g(['1.20.2', '1.20', '1.20.2-bullseye'], '1.20.2', 56_746_418, 'bullseye'),
    g(['1.19.10', '1.19'], '1.19.10', 53_594_523, 'buster'),
    g(['1.18.0', '1.18'], '1.18.0', 53_622_136, 'buster'),
    g(['1.17.10', '1.17'], '1.17.10', 51_475_823, 'buster'),
    g(['1.16.1', '1.16'], '1.16.1', 51_030_575, 'buster'),
    g(['1.15.12', '1.15'], '1.15.12', 43_821_220, 'stretch'),
    // the Kubernetes docs' Deployment example (run-stateless-application, deployment.yaml)
    g(['1.14.2', '1.14'], '1.14.2', 44_692_912, 'stretch'),
    g(['1.13.12', '1.13'], '1.13.12', 44_658_823, 'stretch'),
    g(['1.12.2', '1.12'], '1.12.2', 44_714_325, 'stretch'),
    g(['1.11.13', '1.11'], '1.11.13', 44_905_437, 'jessie'),
    g(['1.10.3', '1.10'], '1.10.3', 44_603_116, 'jessie'),
    g(['1.9.15', '1.9'], '1.9.15', 71_446_212, 'jessie'),
    // The Kubernetes 201 walkthrough (seed 004) deploys nginx:1.7.9, then nginx:1.8
    g(['1.8.1', '1.8'], '1.8.1', 53_027_712, 'jessie'),
    g(['1.7.9'], '1.7.9', 39_947_392, 'jessie'),
    g(['1.29.3-alpine', 'mainline-alpine', '1.29-alpine', '1-alpine', 'alpine', '1.29.3-alpine3.22', 'alpine3.22'], '1.29.3', 21_322_845, '3.22'),
    g(['1.28.0-alpine', 'stable-alpine', '1.28-alpine', '1.28.0-alpine3.21'], '1.28.0', 20_525_907, '3.21'),
    g(['1.27.5-alpine', '1.27-alpine', '1.27.5-alpine3.21'], '1.27.5', 20_498_150, '3.21'),
    g(['1.27.3-alpine', '1.27.3-alpine3.20'], '1.27.3', 20_287_001, '3.20'),
    g(['1.26.3-alpine', '1.26-alpine', '1.26.3-alpine3.20'], '1.26.3', 20_225_301, '3.20'),
    g(['1.25.5-alpine', '1.25-alpine', '1.25.5-alpine3.19'], '1.25.5', 17_730_226, '3.19'),
    g(['1.24.0-alpine', '1.24-alpine', '1.24.0-alpine3.17'], '1.24.0', 16_883_290, '3.17'),
    g(['1.23.4-alpine', '1.23-alpine', '1.23.4-alpine3.17'], '1.23.4', 16_461_555, '3.17'),
    g(['1.22.1-alpine', '1.22-alpine'], '1.22.1', 9_988_404, '3.16'),
    g(['1.21.6-alpine', '1.21-alpine'], '1.21.6', 10_145_276, '3.15'),
    g(['1.20.2-alpine', '1.20-alpine'], '1.20.2', 9_783_108, '3.14'),
    g(['1.19.10-alpine', '1.19-alpine'], '1.19.10', 9_645_123, '3.13'),
    g(['1.18.0-alpine', '1.18-alpine'], '1.18.0', 9_276_323, '3.11'),
    g(['1.17.10-alpine', '1.17-alpine'], '1.17.10', 8_913_776, '3.11'),
    g(['1.16.1-alpine', '1.16-alpine'], '1.16.1', 8_943_456, '3.10'),
    g(['1.14.2-alpine', '1.14-alpine'], '1.14.2', 6_473_920, '3.8'),
  ],
  files: (group) => nginxFiles({ version: group.version, base: group.variant!.base! }),
  programs: {
    'nginx-entrypoint': (ctx) => nginxEntrypoint(ctx),
    // the /docker-entrypoint.d scripts run by hand do what the entrypoint does for them: nothing more
    'nginx-entrypoint-script': async () => 0,
    nginx: (ctx) => nginxMain(ctx),
  },
};

/** Today's welcome page (615 bytes). */
export const INDEX_HTML = INDEX_HTML_2021;
/** Today's nginx.conf and packaged default.conf. */
export const NGINX_CONF = nginxConf('1.29.3', false);
export const DEFAULT_CONF = defaultConf('1.29.3');
