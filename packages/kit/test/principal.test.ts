import { checkJurisdictionsFitRole, principalFromClaims } from '../src/auth/principal';

describe('claims that fit the role (issue 13)', () => {
  const ok = (role: string, jurisdictions: string[]) => principalFromClaims({ role, jurisdictions, sub: 's' });
  it('lets each role name the kinds of jurisdiction it acts for', () => {
    expect(ok('municipality', ['131016']).jurisdictionCodes).toEqual(['131016']); // 千代田区, special ward
    expect(ok('municipality', ['141003']).jurisdictionCodes).toEqual(['141003']); // 横浜市, designated city
    expect(ok('municipality', ['133035']).jurisdictionCodes).toEqual(['133035']); // 瑞穂町, town
    expect(ok('prefecture', ['130001', '141003']).jurisdictionCodes).toHaveLength(2);
    expect(ok('mhw_centre', ['141003']).jurisdictionCodes).toEqual(['141003']);
    expect(ok('health_centre', ['130001', '132012', '131016', '012033']).jurisdictionCodes).toHaveLength(4);
  });

  it.each([
    ['municipality', '130001', /東京都, PREFECTURE/],
    ['municipality', '141011', /鶴見区, ADMINISTRATIVE_WARD/],
    ['municipality', '016951', /administration suspended/],
    ['prefecture', '131016', /prefecture names prefectures and designated cities/],
    ['prefecture', '132012', /CORE_CITY/],
    ['mhw_centre', '132012', /CORE_CITY/],
    ['health_centre', '133035', /瑞穂町, TOWN.*run a public health centre/],
    ['nation', '131016', /nation names no jurisdictions/],
    ['adviser', '130001', /adviser names no jurisdictions/],
    ['vendor', '130001', /vendor names no jurisdictions/],
  ])('refuses a %s token naming %s with 401 and the reason', (role, code, reason) => {
    const claims = { role, jurisdictions: [code], ...(role === 'provider' ? { org: '00000000-0000-5000-8000-000000000001' } : {}) };
    expect(() => principalFromClaims(claims)).toThrow(reason);
    try {
      principalFromClaims(claims);
    } catch (error) {
      expect((error as { extensions: unknown }).extensions).toMatchObject({ code: 'UNAUTHENTICATED', http: { status: 401 } });
    }
  });

  it('refuses a subject that is not valid text (it is stored in audit records)', () => {
    expect(() => principalFromClaims({ role: 'nation', sub: 'a\u0000b' })).toThrow(/`sub` is not valid text: it contains a null character/);
    expect(() => principalFromClaims({ role: 'nation', sub: 'a\ud800' })).toThrow(/lone UTF-16 surrogate/);
  });

  it('refuses a well-formed code that names no jurisdiction', () => {
    // 131997: a valid check digit, but Tokyo has no municipality 199.
    expect(() => checkJurisdictionsFitRole('municipality', ['131997'])).toThrow(/not a jurisdiction of Japan/);
  });
});
